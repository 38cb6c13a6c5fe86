import type { Metadata } from "next";
import { FileWarning } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { listDenials } from "@/lib/remittances/denials";
import { readQueueCursor } from "@/lib/search/list-params";
import { correctClaimAction } from "@/lib/actions/claims/claim-actions";
import { addAppealNoteAction, billDenialToPatientAction, writeOffDenialAction } from "@/lib/actions/claims/denial-actions";
import { DenialCard } from "@/components/remittances/denial-card";
import { QueuePage } from "@/components/remittances/queue-page";

export const metadata: Metadata = { title: "Denials" };

const PAGE_SIZE = 20;
const PATH = "/app/claims/denials";

/**
 * The denial work queue: claims the payer denied in whole or in part with the denied amount still
 * open, the payer's reasons in words, and what to do about each (correct and resubmit, appeal note,
 * write off, bill the patient where the reason allows it).
 */
export default async function DenialsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const cursor = readQueueCursor(await searchParams);
  const page = await listDenials(await getDb(), { organizationId: auth.organization.id, cursor, limit: PAGE_SIZE });
  const canWrite = hasRole(auth.role, "billing");
  const actions = {
    correct: correctClaimAction,
    writeOff: writeOffDenialAction,
    appealNote: addAppealNoteAction,
    billPatient: billDenialToPatientAction,
  };

  return (
    <QueuePage
      title="Denials"
      description="Claims the payer denied, in whole or in part, with the denied amount still open: the payer's reasons in words, and what to do about each. The patient is never billed for a contractual (CO) denial."
      path={PATH}
      cursor={cursor ?? null}
      nextCursor={page.nextCursor}
      isEmpty={page.denials.length === 0}
      icon={FileWarning}
      noMore={{ title: "No more denials", description: "Every denial is on the pages before." }}
      empty={{
        title: "No denials to work",
        description:
          "When a posted remittance denies a claim or a service line, the claim shows here with the payer's reasons until it is corrected, billed or written off.",
        link: { href: "/app/claims/remittances", label: "Remittances" },
      }}
    >
      <ul className="grid gap-4" data-testid="denials">
        {page.denials.map((denial) => (
          <li key={denial.claim.id} className="min-w-0">
            <DenialCard denial={denial} canWrite={canWrite} actions={actions} />
          </li>
        ))}
      </ul>
    </QueuePage>
  );
}
