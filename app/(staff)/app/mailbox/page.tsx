import type { Metadata } from "next";
import Link from "next/link";
import { ChevronRight, Inbox } from "lucide-react";
import { z } from "zod";
import { requirePageAuth } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listEmails } from "@/lib/email/list-emails";
import { getEnv } from "@/lib/env";
import { zRecordId } from "@/lib/http/record-id";
import { EmailsTable } from "@/components/mailbox/emails-table";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Mailbox" };

const ZSearchParams = z.object({ cursor: zRecordId().optional().catch(undefined) });

export default async function MailboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("admin");
  const { cursor } = ZSearchParams.parse(await searchParams);
  const page = await listEmails(await getDb(), { organizationId: auth.organization.id, input: { cursor } });
  const demoMode = !getEnv().SMTP_URL;

  return (
    <div className="grid gap-6">
      <PageHeader title="Mailbox" description="Every email Carebill writes for your clinic, newest first: what it said, to whom, and whether it went out." />
      {demoMode && (
        <Alert>
          <AlertDescription>
            Demo mode: no mail server is configured (SMTP_URL), so emails are kept here instead of being sent. Open one to read it and follow its links.
          </AlertDescription>
        </Alert>
      )}
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:pt-6">
          {page.data.length === 0 ? (
            <EmptyState
              icon={Inbox}
              title={cursor ? "No older emails" : "No emails yet"}
              description={cursor ? "You have reached the oldest email." : "Emails appear here when staff send an invoice to a patient."}
              action={
                cursor && (
                  <Link href="/app/mailbox" className={buttonVariants({ variant: "outline" })}>
                    Back to newest
                  </Link>
                )
              }
            />
          ) : (
            <EmailsTable emails={page.data} timeZone={auth.organization.timezone} />
          )}
          {page.data.length > 0 && (cursor || page.nextCursor) && (
            <nav aria-label="Pages" className="flex items-center justify-between gap-2">
              {cursor ? (
                <Link href="/app/mailbox" className={buttonVariants({ variant: "ghost", size: "sm" })}>
                  Back to newest
                </Link>
              ) : (
                <span />
              )}
              {page.nextCursor && (
                <Link href={`/app/mailbox?cursor=${page.nextCursor}`} className={buttonVariants({ variant: "outline", size: "sm" })}>
                  Older emails <ChevronRight aria-hidden="true" />
                </Link>
              )}
            </nav>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
