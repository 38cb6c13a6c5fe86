import type { Metadata } from "next";
import { formatPhone } from "@/lib/validation/phone";
import Link from "next/link";
import { ChevronLeft } from "lucide-react";
import { postalAddressFields } from "@/lib/addresses/postal-address";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { getPatientDetail } from "@/lib/patients/get-patient-detail";
import { PatientForm } from "@/components/patients/patient-form";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound } from "@/lib/http/or-not-found";

export const metadata: Metadata = { title: "Edit patient" };

export default async function EditPatientPage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("billing");
  const db = await getDb();
  // The form shows the patient's record, so opening it is an audited view like the detail page.
  const { patient } = await orNotFound((await params).id, (patientId) =>
    getPatientDetail(db, { organizationId: auth.organization.id, patientId, actor: auth.actor }),
  );
  const name = `${patient.firstName} ${patient.lastName}`;
  return (
    <div className="mx-auto grid w-full max-w-3xl gap-6">
      <Link href={`/app/patients/${patient.id}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> {name}
      </Link>
      <PageHeader title="Edit patient" description={`Changes to ${name}'s details are recorded in the audit log.`} />
      <PatientForm
        patientId={patient.id}
        initialValues={{
          firstName: patient.firstName,
          lastName: patient.lastName,
          email: patient.email ?? "",
          phone: patient.phone ? formatPhone(patient.phone, auth.organization.country) : "",
          dateOfBirth: patient.dateOfBirth ?? "",
          externalId: patient.externalId ?? "",
          sex: patient.sex ?? "",
          releaseOfInformation: patient.releaseOfInformation ?? "",
          ...postalAddressFields(patient),
        }}
      />
    </div>
  );
}
