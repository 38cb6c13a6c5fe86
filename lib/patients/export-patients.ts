import type { Db } from "@/lib/db/client";
import { csvDateTime, csvFromPages } from "@/lib/csv/csv";
import { listPatients } from "./list-patients";
import type { TListPatientsInput } from "./patients.types";

/** The patients list with its search and sort as CSV, read in keyset batches (constant memory). */
export async function* exportPatientsCsv(
  db: Db,
  options: { organizationId: string; input: Omit<TListPatientsInput, "cursor" | "limit"> },
): AsyncGenerator<string> {
  const { timezone } = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
  yield* csvFromPages({
    header: ["last_name", "first_name", "mrn", "email", "phone", "date_of_birth", "archived", "added"],
    page: (cursor, limit) => listPatients(db, { organizationId: options.organizationId, input: { ...options.input, cursor, limit } }),
    row: (patient) => [
      patient.lastName,
      patient.firstName,
      patient.externalId,
      patient.email,
      patient.phone,
      patient.dateOfBirth,
      patient.archived ? "yes" : "no",
      csvDateTime(new Date(patient.createdAt), timezone),
    ],
  });
}
