import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChevronLeft } from "lucide-react";
import { requirePageAuth } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getCoverageOrThrow, listCoverageRevisions } from "@/lib/insurance/coverages";
import { listEligibilityChecks } from "@/lib/insurance/eligibility";
import { orNotFound } from "@/lib/http/or-not-found";
import { CoverageBenefits, EligibilityCheckSummary } from "@/components/insurance/coverage-benefits";
import { CoverageHistory } from "@/components/insurance/coverage-history";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

// The coverage names the patient's insurer: the tab title stays generic.
export const metadata: Metadata = { title: "Coverage history" };

/** One coverage's versions (who changed what, when) and its eligibility checks, newest first. */
export default async function CoverageHistoryPage({ params }: { params: Promise<{ id: string; coverageId: string }> }) {
  const auth = await requirePageAuth("viewer");
  const { id: patientId, coverageId } = await params;
  const db = await getDb();
  const organizationId = auth.organization.id;
  const coverage = await orNotFound(coverageId, (id) => getCoverageOrThrow(db, { organizationId, coverageId: id }));
  if (coverage.patientId !== patientId) notFound();
  const [revisions, checks] = await Promise.all([
    listCoverageRevisions(db, { organizationId, coverageId }),
    listEligibilityChecks(db, { organizationId, coverageId }),
  ]);
  const timeZone = auth.organization.timezone;
  return (
    <div className="grid gap-6">
      <Link href={`/app/patients/${patientId}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Patient
      </Link>
      <PageHeader
        title={`${coverage.payer.name} coverage`}
        description={`${coverage.priorityLabel} · member id ${coverage.memberId}${coverage.archivedAt ? " · removed" : ""}`}
      />
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>History</CardTitle>
            <CardDescription>Every version of this coverage: who changed it, when, and what moved.</CardDescription>
          </CardHeader>
          <CardContent>
            <CoverageHistory revisions={revisions} currency={coverage.currency} timeZone={timeZone} />
          </CardContent>
        </Card>
        <div className="grid gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Benefits now</CardTitle>
            </CardHeader>
            <CardContent>
              <CoverageBenefits benefits={coverage.benefits} currency={coverage.currency} timeZone={timeZone} />
            </CardContent>
          </Card>
          <Card data-testid="eligibility-checks">
            <CardHeader>
              <CardTitle>Eligibility checks</CardTitle>
            </CardHeader>
            <CardContent>
              {checks.length === 0 ? (
                <p className="text-sm text-muted-foreground">No eligibility check yet.</p>
              ) : (
                <ul className="grid gap-4">
                  {checks.map((check) => (
                    <li key={check.id} className="border-t pt-4 first:border-t-0 first:pt-0">
                      <EligibilityCheckSummary check={check} timeZone={timeZone} />
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
