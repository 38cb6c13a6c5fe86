import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { ChevronLeft, FileText } from "lucide-react";
import { requirePageAuth } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getEmailDetail } from "@/lib/email/get-email-detail";
import { formatDateTime } from "@/components/invoices/invoice-format";
import { EmailBodyFrame } from "@/components/mailbox/email-body-frame";
import { emailAudienceNote, emailKindLabel, transportLabel } from "@/components/mailbox/email-labels";
import { EmailStatusBadge } from "@/components/mailbox/email-status-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound } from "@/lib/http/or-not-found";

// Subjects and addresses concern patients: the tab title stays generic.
export const metadata: Metadata = { title: "Email" };

export default async function EmailPage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("admin");
  const db = await getDb();
  // getEmailDetail records the audited view: exactly one call per render.
  const email = await orNotFound((await params).id, (emailId) => getEmailDetail(db, { organizationId: auth.organization.id, emailId, actor: auth.actor }));
  const timeZone = auth.organization.timezone;
  const details: [string, ReactNode][] = [
    ["To", email.toAddress],
    ["Kind", emailKindLabel(email.kind)],
    ["Status", <EmailStatusBadge key="status" status={email.status} />],
    ["Written", formatDateTime(email.createdAt, timeZone)],
    ["Sent", email.sentAt ? formatDateTime(email.sentAt, timeZone) : "—"],
    ["Delivered by", transportLabel(email.transport)],
    ["Attempts", String(email.attempts)],
  ];

  return (
    <div className="grid gap-6">
      <Link href="/app/mailbox" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Mailbox
      </Link>
      <PageHeader title={email.subject} description={`To ${email.toAddress}`} />
      {email.lastError && (
        <Alert variant={email.status === "failed" ? "destructive" : "warning"}>
          <AlertTitle>{email.status === "failed" ? "Delivery failed" : "The last attempt failed; it will be retried"}</AlertTitle>
          <AlertDescription className="break-words">{email.lastError}</AlertDescription>
        </Alert>
      )}
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Message</CardTitle>
            <CardDescription>{emailAudienceNote(email.kind)} Links open in a new tab.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            <EmailBodyFrame html={email.html} title={`Email: ${email.subject}`} />
            <details>
              <summary className="cursor-pointer text-sm font-medium">Plain-text version</summary>
              <pre className="mt-2 overflow-x-auto rounded-md bg-muted p-3 text-sm whitespace-pre-wrap">{email.text}</pre>
            </details>
          </CardContent>
        </Card>
        <div className="grid gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Details</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                {details.map(([label, value]) => (
                  <div key={label} className="contents">
                    <dt className="text-muted-foreground">{label}</dt>
                    <dd className="min-w-0 break-words">{value}</dd>
                  </div>
                ))}
              </dl>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Attachments</CardTitle>
              <CardDescription>The PDF is made when the email is delivered; the link shows the invoice as it is now.</CardDescription>
            </CardHeader>
            <CardContent>
              {email.attachments.length === 0 ? (
                <p className="text-sm text-muted-foreground">None.</p>
              ) : (
                <ul className="grid gap-2">
                  {email.attachments.map((attachment) => (
                    <li key={`${attachment.type}-${attachment.type === "receipt_pdf" ? attachment.paymentId : attachment.invoiceId}`}>
                      <a
                        href={attachment.type === "receipt_pdf" ? `/app/payments/${attachment.paymentId}/receipt` : `/app/invoices/${attachment.invoiceId}/pdf`}
                        target="_blank"
                        rel="noopener"
                        className="inline-flex items-center gap-2 text-sm font-medium text-primary hover:underline"
                      >
                        <FileText aria-hidden="true" className="size-4" /> {attachment.filename}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}
