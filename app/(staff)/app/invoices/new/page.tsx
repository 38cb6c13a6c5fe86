import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft } from "lucide-react";
import { z } from "zod";
import { zSingleLineText } from "@/lib/validation/fields";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { todayIn } from "@/lib/invoices/dates";
import { SUPPORTED_CURRENCIES } from "@/lib/organizations/update-organization";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { listPatients } from "@/lib/patients/list-patients";
import { emptyLine } from "@/components/invoices/invoice-editor-model";
import { InvoiceEditor } from "@/components/invoices/invoice-editor";
import { currencyOptions } from "@/components/invoices/invoice-format";
import { PatientPicker } from "@/components/invoices/patient-picker";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound } from "@/lib/http/or-not-found";

export const metadata: Metadata = { title: "New invoice" };

const ZSearchParams = z.object({
  patientId: z.string().optional().catch(undefined),
  q: zSingleLineText().max(100).catch(""),
});

export default async function NewInvoicePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("billing");
  const { patientId, q } = ZSearchParams.parse(await searchParams);
  const db = await getDb();

  if (!patientId) {
    const patients = await listPatients(db, { organizationId: auth.organization.id, input: { query: q || undefined, limit: 10 } });
    return (
      <div className="mx-auto grid w-full max-w-3xl gap-6">
        <PageHeader title="New invoice" description="Choose the patient, then add what you are billing for." />
        <PatientPicker patients={patients.data} query={q} country={auth.organization.country} />
      </div>
    );
  }

  const patient = await orNotFound(patientId, (id) => getPatientOrThrow(db, { id, organizationId: auth.organization.id }));
  const name = `${patient.firstName} ${patient.lastName}`;
  return (
    <div className="grid gap-6">
      <Link href={`/app/patients/${patient.id}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> {name}
      </Link>
      <PageHeader title="New invoice" description="Saved as a draft. You can finalize and send it from the next page." />
      {patient.archivedAt ? (
        <Alert variant="warning">
          <AlertTitle>{name} is archived</AlertTitle>
          <AlertDescription>
            <p>Restore the patient before billing them.</p>
            <Link href={`/app/patients/${patient.id}`} className={buttonVariants({ variant: "outline", size: "sm", className: "mt-2 w-fit" })}>
              Go to the patient
            </Link>
          </AlertDescription>
        </Alert>
      ) : (
        <InvoiceEditor
          target={{ kind: "create", patientId: patient.id }}
          patient={{ id: patient.id, name }}
          initialValues={{
            currency: auth.organization.currency,
            terms: "due_on_receipt",
            dueDate: "",
            taxRate: "",
            discountKind: "none",
            discountValue: "",
            memo: "",
            lines: [emptyLine("first")],
          }}
          currencies={currencyOptions(SUPPORTED_CURRENCIES)}
          today={todayIn(auth.organization.timezone)}
          cancelHref={`/app/patients/${patient.id}`}
        />
      )}
    </div>
  );
}
