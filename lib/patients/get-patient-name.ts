import type { Db } from "@/lib/db/client";

/** "Maria Garcia" for a patient of this organization, or null (unknown id, another organization's). */
export async function getPatientName(db: Db, options: { organizationId: string; id: string }): Promise<string | null> {
  const patient = await db.patient.findFirst({
    where: { id: options.id, organizationId: options.organizationId },
    select: { firstName: true, lastName: true },
  });
  return patient && `${patient.firstName} ${patient.lastName}`;
}
