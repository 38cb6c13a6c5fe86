import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/or-not-found";
import { todayIn } from "@/lib/invoices/dates";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { getPracticeProfile } from "@/lib/insurance/practice-profile";
import { listRenderingProviders } from "@/lib/insurance/rendering-providers";
import { recordVisitAction } from "@/lib/actions/claims/visit-actions";
import { ChargesForm } from "@/components/claims/charges-form";
import { emptyVisitValues } from "@/components/claims/charges-form-model";
import { renderingProviderLabel } from "@/components/claims/claim-format";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Record a visit" };

export default async function RecordVisitPage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("billing");
  const db = await getDb();
  const organizationId = auth.organization.id;
  const patient = await orNotFound((await params).id, (id) => getPatientOrThrow(db, { id, organizationId }));
  const [practice, providers] = await Promise.all([getPracticeProfile(db, { organizationId }), listRenderingProviders(db, { organizationId })]);
  const name = `${patient.firstName} ${patient.lastName}`;
  const today = todayIn(auth.organization.timezone);
  return (
    <div className="grid max-w-4xl grid-cols-1 gap-6">
      <Link href={`/app/patients/${patient.id}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> {name}
      </Link>
      <PageHeader title="Record a visit" description={`${name}'s diagnoses and the services given, billed to their insurance as a claim.`} />
      {patient.archivedAt && (
        <Alert variant="warning">
          <AlertDescription>This patient is archived: restore them before recording a visit.</AlertDescription>
        </Alert>
      )}
      <ChargesForm
        target={{ kind: "new-visit", patientId: patient.id, save: recordVisitAction }}
        initialValues={emptyVisitValues(today, practice?.defaultPlaceOfService ?? "11")}
        currency={auth.organization.currency}
        today={today}
        renderingProviders={providers.map((provider) => ({ id: provider.id, label: renderingProviderLabel(provider) }))}
        cancelHref={`/app/patients/${patient.id}`}
        savedHrefPrefix="/app/visits/"
        submitLabel="Record visit"
        savedMessage="Visit recorded."
      />
    </div>
  );
}
