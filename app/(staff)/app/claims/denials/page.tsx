import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, FileWarning } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { isRecordId } from "@/lib/http/record-id";
import { listDenials } from "@/lib/remittances/denials";
import { listHref } from "@/lib/search/list-params";
import { correctClaimAction } from "@/lib/actions/claims/claim-actions";
import { addAppealNoteAction, billDenialToPatientAction, writeOffDenialAction } from "@/lib/actions/claims/denial-actions";
import { DenialCard } from "@/components/remittances/denial-card";
import { ClearFiltersLink, ListPageLinks } from "@/components/search/list-pages";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Denials" };

const PAGE_SIZE = 20;
const PATH = "/app/claims/denials";

const one = (value: string | string[] | undefined) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/**
 * The denial work queue: claims the payer denied in whole or in part with the denied amount still
 * open, the payer's reasons in words, and what to do about each (correct and resubmit, appeal note,
 * write off, bill the patient where the reason allows it).
 */
export default async function DenialsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const params = await searchParams;
  // A cursor that is not a record id (a hand-edited URL) starts from the first page rather than failing.
  const cursor = [one(params.cursor)].find((value) => value !== undefined && isRecordId(value));
  const page = await listDenials(await getDb(), { organizationId: auth.organization.id, cursor, limit: PAGE_SIZE });
  const canWrite = hasRole(auth.role, "billing");
  const actions = {
    correct: correctClaimAction,
    writeOff: writeOffDenialAction,
    appealNote: addAppealNoteAction,
    billPatient: billDenialToPatientAction,
  };

  return (
    <div className="grid grid-cols-1 gap-6">
      <Link href="/app/claims" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Claims
      </Link>
      <PageHeader
        title="Denials"
        description="Claims the payer denied, in whole or in part, with the denied amount still open: the payer's reasons in words, and what to do about each. The patient is never billed for a contractual (CO) denial."
      />
      {page.denials.length === 0 ? (
        cursor ? (
          <EmptyState
            icon={FileWarning}
            title="No more denials"
            description="Every denial is on the pages before."
            action={<ClearFiltersLink href={PATH} label="First page" />}
          />
        ) : (
          <EmptyState
            icon={FileWarning}
            title="No denials to work"
            description="When a posted remittance denies a claim or a service line, the claim shows here with the payer's reasons until it is corrected, billed or written off."
            action={
              <Link href="/app/claims/remittances" className={buttonVariants({ variant: "outline" })}>
                Remittances
              </Link>
            }
          />
        )
      ) : (
        <ul className="grid gap-4" data-testid="denials">
          {page.denials.map((denial) => (
            <li key={denial.claim.id} className="min-w-0">
              <DenialCard denial={denial} canWrite={canWrite} actions={actions} />
            </li>
          ))}
        </ul>
      )}
      <ListPageLinks firstPageHref={cursor ? PATH : null} nextPageHref={page.nextCursor && listHref(PATH, { cursor: page.nextCursor })} />
    </div>
  );
}
