import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, Link2Off } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { isRecordId } from "@/lib/http/record-id";
import { listUnmatchedClaimPayments } from "@/lib/remittances/unmatched";
import { listHref } from "@/lib/search/list-params";
import { matchClaimPaymentAction, postHeldClaimPaymentAction } from "@/lib/actions/claims/denial-actions";
import { UnmatchedPayment } from "@/components/remittances/unmatched-payment";
import { ClearFiltersLink, ListPageLinks } from "@/components/search/list-pages";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Unmatched payments" };

const PAGE_SIZE = 25;
const PATH = "/app/claims/unmatched";

const one = (value: string | string[] | undefined) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/**
 * Claim payments of imported 835s that Carebill could not post: unmatched ones (the payer's claim
 * number is none of this clinic's sent claims for that payer) to match by hand, held ones (posting
 * refused, with why) to post again once fixed.
 */
export default async function UnmatchedPaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const params = await searchParams;
  const cursor = [one(params.cursor)].find((value) => value !== undefined && isRecordId(value));
  const page = await listUnmatchedClaimPayments(await getDb(), { organizationId: auth.organization.id, cursor, limit: PAGE_SIZE });
  const canWrite = hasRole(auth.role, "billing");
  const actions = { match: matchClaimPaymentAction, postAgain: postHeldClaimPaymentAction };

  return (
    <div className="grid grid-cols-1 gap-6">
      <Link href="/app/claims" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Claims
      </Link>
      <PageHeader
        title="Unmatched payments"
        description="Claim payments from the payers' remittances that were not posted: match each unmatched one to its claim by number (it is posted at once), and post a held one again once what held it is fixed. Newest payment first."
      />
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:pt-6">
          {page.payments.length === 0 ? (
            cursor ? (
              <EmptyState
                icon={Link2Off}
                title="No more payments"
                description="Every unmatched or held payment is on the pages before."
                action={<ClearFiltersLink href={PATH} label="First page" />}
              />
            ) : (
              <EmptyState
                icon={Link2Off}
                title="Every claim payment is posted"
                description="A claim payment whose claim number is not one of this clinic's claims, or that could not be posted, shows here with why."
                action={
                  <Link href="/app/claims/remittances" className={buttonVariants({ variant: "outline" })}>
                    Remittances
                  </Link>
                }
              />
            )
          ) : (
            <ul className="grid gap-3" data-testid="unmatched-payments">
              {page.payments.map((payment) => (
                <UnmatchedPayment key={payment.id} payment={payment} canWrite={canWrite} actions={actions} />
              ))}
            </ul>
          )}
          <ListPageLinks firstPageHref={cursor ? PATH : null} nextPageHref={page.nextCursor && listHref(PATH, { cursor: page.nextCursor })} />
        </CardContent>
      </Card>
    </div>
  );
}
