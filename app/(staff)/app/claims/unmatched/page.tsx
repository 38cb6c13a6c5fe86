import type { Metadata } from "next";
import { Link2Off } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { listUnmatchedClaimPayments } from "@/lib/remittances/unmatched";
import { readQueueCursor } from "@/lib/search/list-params";
import { matchClaimPaymentAction, postHeldClaimPaymentAction } from "@/lib/actions/claims/denial-actions";
import { UnmatchedPayment } from "@/components/remittances/unmatched-payment";
import { QueuePage } from "@/components/remittances/queue-page";

export const metadata: Metadata = { title: "Unmatched payments" };

const PAGE_SIZE = 25;
const PATH = "/app/claims/unmatched";

/**
 * Claim payments of imported 835s that Carebill could not post: unmatched ones (the payer's claim
 * number is none of this clinic's sent claims for that payer, or the payer's patient is clearly not
 * the claim's) to match by hand, held ones (posting
 * refused, with why) to post again once fixed.
 */
export default async function UnmatchedPaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const cursor = readQueueCursor(await searchParams);
  const page = await listUnmatchedClaimPayments(await getDb(), { organizationId: auth.organization.id, cursor, limit: PAGE_SIZE });
  const canWrite = hasRole(auth.role, "billing");
  const actions = { match: matchClaimPaymentAction, postAgain: postHeldClaimPaymentAction };

  return (
    <QueuePage
      title="Unmatched payments"
      description="Claim payments from the payers' remittances that were not posted: match each unmatched one to its claim by number (it is posted at once), and post a held one again once what held it is fixed. Newest payment first."
      path={PATH}
      cursor={cursor ?? null}
      nextCursor={page.nextCursor}
      isEmpty={page.payments.length === 0}
      icon={Link2Off}
      framed
      noMore={{ title: "No more payments", description: "Every unmatched or held payment is on the pages before." }}
      empty={{
        title: "Every claim payment is posted",
        description:
          "A claim payment whose claim number is not one of this clinic's claims, whose patient is not the claim's, or that could not be posted, shows here with why.",
        link: { href: "/app/claims/remittances", label: "Remittances" },
      }}
    >
      <ul className="grid gap-3" data-testid="unmatched-payments">
        {page.payments.map((payment) => (
          <UnmatchedPayment key={payment.id} payment={payment} canWrite={canWrite} actions={actions} />
        ))}
      </ul>
    </QueuePage>
  );
}
