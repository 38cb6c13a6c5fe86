import type { Db, Tx } from "@/lib/db/client";
import type { Patient, Prisma } from "@/lib/db/generated/client";
import { columnKey, keysetPage, keysetWhere, sortOrderBy } from "@/lib/search/list-sort";
import { readSearchText } from "@/lib/search/search-text";
import { patientSearchWhere } from "@/lib/search/search-where";
import { ZListPatientsInput, type PatientSortColumn, type PatientView, type TListPatientsInput } from "./patients.types";
import { toPatientView } from "./to-patient-view";

export type PatientPage = { data: PatientView[]; nextCursor: string | null };

const column = columnKey<Patient, Prisma.PatientWhereInput, Prisma.PatientOrderByWithRelationInput>;
const SORT_KEYS: Record<PatientSortColumn, ReturnType<typeof column>[]> = {
  added: [column("createdAt")],
  name: [column("lastName"), column("firstName")],
};

/**
 * Lists patients, searching name, email, phone (digits only) and external id (MRN), sorted by one
 * column with the id as tie-break (newest first by default). Cursor pagination: pass the previous
 * page's `nextCursor`.
 */
export async function listPatients(db: Db | Tx, options: { organizationId: string; input?: TListPatientsInput }): Promise<PatientPage> {
  const input = ZListPatientsInput.parse(options.input ?? {});
  const where: Prisma.PatientWhereInput = { organizationId: options.organizationId };
  const and: Prisma.PatientWhereInput[] = [];
  if (!input.includeArchived) where.archivedAt = null;
  const search = readSearchText(input.query);
  if (search) and.push(patientSearchWhere(search));
  const keys = SORT_KEYS[input.sort];
  if (input.cursor) {
    const cursorRow = await db.patient.findFirst({ where: { id: input.cursor, organizationId: options.organizationId } });
    if (cursorRow) and.push(keysetWhere(keys, input.direction, cursorRow));
  }
  if (and.length) where.AND = and;
  const rows = await db.patient.findMany({ where, orderBy: sortOrderBy(keys, input.direction), take: input.limit + 1 });
  const { page, nextCursor } = keysetPage(rows, input.limit);
  return { data: page.map(toPatientView), nextCursor };
}
