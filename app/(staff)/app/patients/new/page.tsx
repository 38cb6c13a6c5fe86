import type { Metadata } from "next";
import { requirePageAuth } from "@/lib/auth/session";
import { PatientForm } from "@/components/patients/patient-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "New patient" };

export default async function NewPatientPage() {
  await requirePageAuth("billing");
  return (
    <div className="mx-auto grid w-full max-w-3xl gap-6">
      <PageHeader title="New patient" description="Add someone you bill. You can create their first invoice next." />
      <PatientForm />
    </div>
  );
}
