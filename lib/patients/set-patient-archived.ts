import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getPatientOrThrow } from "./get-patient-or-throw";
import type { PatientView } from "./patients.types";
import { toPatientView } from "./to-patient-view";

/**
 * Archives (or restores) a patient. Patients are never deleted: their financial history must
 * stay. Archived patients are hidden from the default list and cannot get new invoices.
 */
export async function setPatientArchived(
  db: Db,
  options: { organizationId: string; patientId: string; archived: boolean; actor: AuditActor },
): Promise<PatientView> {
  return db.$transaction(async (tx) => {
    const patient = await getPatientOrThrow(tx, { id: options.patientId, organizationId: options.organizationId });
    if ((patient.archivedAt !== null) === options.archived) return toPatientView(patient);
    const updated = await tx.patient.update({ where: { id: patient.id }, data: { archivedAt: options.archived ? new Date() : null } });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: options.archived ? "patient.archived" : "patient.restored",
      target: { type: "patient", id: patient.id },
    });
    return toPatientView(updated);
  });
}
