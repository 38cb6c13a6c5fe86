import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { toInvoiceView } from "@/lib/invoices/to-invoice-view";
import { getPatientCredit } from "@/lib/patient-credit/credit-balances";
import type { InvoiceView } from "@/lib/invoices/invoices.types";
import { getPatientOrThrow } from "./get-patient-or-throw";
import type { PatientView } from "./patients.types";
import { toPatientView } from "./to-patient-view";

export type PatientDetail = {
  patient: PatientView;
  /** What the patient owes across finalized invoices, per currency (minor units). */
  balances: { currency: string; amountDue: number }[];
  invoices: InvoiceView[];
  /** The patient's credit (overpayments, credit notes) they can still use, per currency (minor units). */
  credit: { currency: string; balance: number }[];
};

/**
 * A patient's record with balance and invoices. Viewing a patient's financial record is PHI
 * access, so every call writes a `patient.viewed` audit entry.
 */
export async function getPatientDetail(db: Db, options: { organizationId: string; patientId: string; actor: AuditActor }): Promise<PatientDetail> {
  const patient = await getPatientOrThrow(db, { id: options.patientId, organizationId: options.organizationId });
  const [organization, invoices, credit] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } }),
    db.invoice.findMany({ where: { patientId: patient.id, organizationId: options.organizationId }, include: { lines: true }, orderBy: { createdAt: "desc" } }),
    getPatientCredit(db, { organizationId: options.organizationId, patientId: patient.id }),
    recordAuditEvent(db, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "patient.viewed",
      target: { type: "patient", id: patient.id },
    }),
  ]);
  const balances = new Map<string, number>();
  for (const invoice of invoices) {
    if (invoice.status === "open" || invoice.status === "partially_paid") {
      balances.set(invoice.currency, (balances.get(invoice.currency) ?? 0) + invoice.amountDue);
    }
  }
  return {
    patient: toPatientView(patient),
    balances: [...balances].map(([currency, amountDue]) => ({ currency, amountDue })),
    invoices: invoices.map((invoice) => toInvoiceView(invoice, organization.timezone)),
    credit,
  };
}
