import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { ZCreatePatientInput, type PatientView, type TCreatePatientInput } from "./patients.types";
import { toPatientView } from "./to-patient-view";

const MRN_TAKEN = new AppError("CONFLICT", "Another patient already has this external id (MRN).", {
  fields: { externalId: ["Another patient already has this external id."] },
});

/** Creates a patient. An external id (MRN) is unique within the organization (409 otherwise). */
export async function createPatient(db: Db, options: { organizationId: string; actor: AuditActor; input: TCreatePatientInput }): Promise<PatientView> {
  const input = ZCreatePatientInput.parse(options.input);
  try {
    return await db.$transaction(async (tx) => {
      const patient = await tx.patient.create({
        data: {
          organizationId: options.organizationId,
          firstName: input.firstName,
          lastName: input.lastName,
          email: input.email ?? null,
          phone: input.phone ?? null,
          dateOfBirth: input.dateOfBirth ? new Date(`${input.dateOfBirth}T00:00:00Z`) : null,
          externalId: input.externalId ?? null,
          addressLine1: input.addressLine1 ?? null,
          addressLine2: input.addressLine2 ?? null,
          city: input.city ?? null,
          region: input.region ?? null,
          postalCode: input.postalCode ?? null,
          sex: input.sex ?? null,
          releaseOfInformation: input.releaseOfInformation ?? null,
          ...(input.country ? { country: input.country } : {}),
        },
      });
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "patient.created",
        target: { type: "patient", id: patient.id },
      });
      return toPatientView(patient);
    });
  } catch (error) {
    if (isUniqueViolation(error, "external_id")) throw MRN_TAKEN;
    throw error;
  }
}

export { MRN_TAKEN };
