import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { MRN_TAKEN } from "./create-patient";
import { getPatientOrThrow } from "./get-patient-or-throw";
import { ZUpdatePatientInput, type PatientView, type TUpdatePatientInput } from "./patients.types";
import { toPatientView } from "./to-patient-view";

/**
 * Changes a patient's details. The audit entry names the fields that changed but not their
 * values: the audit log is not a second copy of PHI.
 */
export async function updatePatient(
  db: Db,
  options: { organizationId: string; patientId: string; actor: AuditActor; input: TUpdatePatientInput },
): Promise<PatientView> {
  const input = ZUpdatePatientInput.parse(options.input);
  try {
    return await db.$transaction(async (tx) => {
      const before = await getPatientOrThrow(tx, { id: options.patientId, organizationId: options.organizationId });
      const data = {
        ...input,
        dateOfBirth: input.dateOfBirth === undefined ? undefined : input.dateOfBirth ? new Date(`${input.dateOfBirth}T00:00:00Z`) : null,
      };
      const patient = await tx.patient.update({ where: { id: before.id }, data });
      const changed = Object.keys(input).filter((key) => {
        const previous = before[key as keyof typeof before];
        const next = patient[key as keyof typeof patient];
        return (previous instanceof Date ? previous.getTime() : previous) !== (next instanceof Date ? next.getTime() : next);
      });
      if (changed.length > 0) {
        await recordAuditEvent(tx, {
          organizationId: options.organizationId,
          actor: options.actor,
          action: "patient.updated",
          target: { type: "patient", id: patient.id },
          after: { changedFields: changed },
        });
      }
      return toPatientView(patient);
    });
  } catch (error) {
    if (isUniqueViolation(error, "external_id")) throw MRN_TAKEN;
    throw error;
  }
}
