import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** A patient of this organization, or 404 (another organization's ids look exactly like missing ones). */
export async function getPatientOrThrow(db: Db | Tx, options: { id: string; organizationId: string }) {
  const patient = await db.patient.findFirst({ where: { id: options.id, organizationId: options.organizationId } });
  if (!patient) throw new AppError("NOT_FOUND", "That patient does not exist.");
  return patient;
}
