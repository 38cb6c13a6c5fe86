import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ChevronLeft } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { todayIn } from "@/lib/invoices/dates";
import { getInvoiceView } from "@/lib/invoices/get-invoice";
import { SUPPORTED_CURRENCIES } from "@/lib/organizations/update-organization";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { valuesFromInvoice } from "@/components/invoices/invoice-editor-model";
import { InvoiceEditor } from "@/components/invoices/invoice-editor";
import { currencyOptions } from "@/components/invoices/invoice-format";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound } from "@/lib/http/or-not-found";

export const metadata: Metadata = { title: "Edit draft invoice" };

export default async function EditInvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("billing");
  const db = await getDb();
  const invoice = await orNotFound((await params).id, (id) => getInvoiceView(db, { id, organizationId: auth.organization.id }));
  // Finalized invoices are not editable (corrections go through void or credit notes).
  if (invoice.status !== "draft") redirect(`/app/invoices/${invoice.id}`);
  const patient = await getPatientOrThrow(db, { id: invoice.patientId, organizationId: auth.organization.id });
  const name = `${patient.firstName} ${patient.lastName}`;

  return (
    <div className="grid gap-6">
      <Link href={`/app/invoices/${invoice.id}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Draft invoice
      </Link>
      <PageHeader title="Edit draft invoice" description="Drafts can change freely until they are finalized." />
      <InvoiceEditor
        target={{ kind: "edit", invoiceId: invoice.id }}
        patient={{ id: patient.id, name }}
        initialValues={valuesFromInvoice(invoice)}
        currencies={currencyOptions(SUPPORTED_CURRENCIES)}
        today={todayIn(auth.organization.timezone)}
        cancelHref={`/app/invoices/${invoice.id}`}
      />
    </div>
  );
}
