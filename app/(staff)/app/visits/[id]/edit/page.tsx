import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/or-not-found";
import { todayIn } from "@/lib/invoices/dates";
import { getVisitOrThrow } from "@/lib/claims/visits";
import { listRenderingProviders } from "@/lib/insurance/rendering-providers";
import { updateVisitAction } from "@/lib/actions/claims/visit-actions";
import { ChargesForm } from "@/components/claims/charges-form";
import { valuesFromVisit } from "@/components/claims/charges-form-model";
import { renderingProviderLabel } from "@/components/claims/claim-format";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Edit visit" };

export default async function EditVisitPage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("billing");
  const db = await getDb();
  const organizationId = auth.organization.id;
  const visit = await orNotFound((await params).id, (visitId) => getVisitOrThrow(db, { organizationId, visitId }));
  const providers = await listRenderingProviders(db, { organizationId });
  const locked = visit.claims.some((claim) => claim.status !== "draft" && claim.status !== "closed");
  return (
    <div className="grid max-w-4xl grid-cols-1 gap-6">
      <Link href={`/app/visits/${visit.id}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Visit
      </Link>
      <PageHeader title="Edit visit" description={`${visit.patient.name}'s diagnoses and charges. A draft claim made from the visit keeps its own copy.`} />
      {locked ? (
        <Alert variant="warning">
          <AlertDescription>A claim for this visit has been validated or sent: edit the claim instead, or correct it once accepted.</AlertDescription>
        </Alert>
      ) : (
        <ChargesForm
          target={{ kind: "visit", visitId: visit.id, save: updateVisitAction }}
          initialValues={valuesFromVisit(visit, visit.currency)}
          currency={visit.currency}
          today={todayIn(auth.organization.timezone)}
          renderingProviders={providers.map((provider) => ({ id: provider.id, label: renderingProviderLabel(provider) }))}
          cancelHref={`/app/visits/${visit.id}`}
          savedHrefPrefix="/app/visits/"
          submitLabel="Save visit"
          savedMessage="Visit saved."
        />
      )}
    </div>
  );
}
