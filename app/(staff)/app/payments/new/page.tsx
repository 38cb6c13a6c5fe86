import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft } from "lucide-react";
import { z } from "zod";
import { zSingleLineText } from "@/lib/validation/fields";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { todayIn } from "@/lib/invoices/dates";
import { getInvoiceOrThrow } from "@/lib/invoices/get-invoice";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { listPatients } from "@/lib/patients/list-patients";
import { listPayableInvoices } from "@/lib/payments/list-payable-invoices";
import { PatientPicker, RECORD_PAYMENT_FOR_PATIENT } from "@/components/invoices/patient-picker";
import { RecordPaymentForm } from "@/components/payments/record-payment-form";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound } from "@/lib/http/or-not-found";

export const metadata: Metadata = { title: "Record payment" };

const ZSearchParams = z.object({
  patientId: z.string().optional().catch(undefined),
  invoiceId: z.string().optional().catch(undefined),
  q: zSingleLineText().max(100).catch(""),
});

/** Cash, check, card terminal or bank transfer received at the front desk, applied to invoices. */
export default async function RecordPaymentPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("billing");
  const { patientId: patientParam, invoiceId, q } = ZSearchParams.parse(await searchParams);
  const db = await getDb();
  const organizationId = auth.organization.id;

  const invoice = invoiceId ? await orNotFound(invoiceId, (id) => getInvoiceOrThrow(db, { id, organizationId })) : null;
  const patientId = invoice?.patientId ?? patientParam;
  if (!patientId) {
    const patients = await listPatients(db, { organizationId, input: { query: q || undefined, limit: 10 } });
    return (
      <div className="mx-auto grid w-full max-w-3xl gap-6">
        <PageHeader title="Record payment" description="Cash, check, card terminal or bank transfer received at the front desk." />
        <PatientPicker patients={patients.data} query={q} country={auth.organization.country} purpose={RECORD_PAYMENT_FOR_PATIENT} />
      </div>
    );
  }

  const patient = await orNotFound(patientId, (id) => getPatientOrThrow(db, { id, organizationId }));
  const invoices = await listPayableInvoices(db, { organizationId, patientId: patient.id });
  const name = `${patient.firstName} ${patient.lastName}`;
  const back = invoice ? { href: `/app/invoices/${invoice.id}`, label: invoice.number ?? "Invoice" } : { href: `/app/patients/${patient.id}`, label: name };
  return (
    <div className="grid gap-6">
      <Link href={back.href} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> {back.label}
      </Link>
      <PageHeader title="Record payment" description={`Money ${name} paid at the front desk or by transfer. It is applied to the invoices you choose.`} />
      <RecordPaymentForm
        patient={{ id: patient.id, name, email: patient.email }}
        invoices={invoices}
        defaultCurrency={auth.organization.currency}
        today={todayIn(auth.organization.timezone)}
        invoiceId={invoice?.id}
        cancelHref={back.href}
      />
    </div>
  );
}
