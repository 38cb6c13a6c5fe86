import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, FileText } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/or-not-found";
import { todayIn } from "@/lib/invoices/dates";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { listPlanOptions } from "@/lib/payment-plans/list-plan-options";
import { createPaymentPlanAction, previewPaymentPlanAction } from "@/lib/actions/payment-plans/create-payment-plan";
import { NewPaymentPlanForm } from "@/components/payment-plans/new-payment-plan-form";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "New payment plan" };

export default async function NewPaymentPlanPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("billing");
  const db = await getDb();
  const { patientId } = await searchParams;
  const patient = await orNotFound(typeof patientId === "string" ? patientId : "", (id) => getPatientOrThrow(db, { id, organizationId: auth.organization.id }));
  const { invoices, cards } = await listPlanOptions(db, { organizationId: auth.organization.id, patientId: patient.id });
  return (
    <div className="grid max-w-3xl gap-6">
      <Link href={`/app/patients/${patient.id}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> {patient.firstName} {patient.lastName}
      </Link>
      <PageHeader title="New payment plan" description="Spread what the patient owes over installments charged to their card on file." />
      {invoices.length === 0 ? (
        <EmptyState icon={FileText} title="Nothing to put on a plan" description="This patient has no open invoices." />
      ) : (
        <NewPaymentPlanForm
          patientId={patient.id}
          currency={invoices[0]!.currency}
          today={todayIn(auth.organization.timezone)}
          invoices={invoices}
          cards={cards.map((card) => ({ id: card.id, label: `${card.brand} •••• ${card.last4}, expires ${card.expMonth}/${card.expYear}` }))}
          preview={previewPaymentPlanAction}
          create={createPaymentPlanAction}
        />
      )}
    </div>
  );
}
