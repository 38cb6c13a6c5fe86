import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { ZListPatientsInput, type PatientView, type TListPatientsInput } from "./patients.types";
import { toPatientView } from "./to-patient-view";

export type PatientPage = { data: PatientView[]; nextCursor: string | null };

/**
 * Lists patients, newest first, searching name, email, phone and external id (MRN). Cursor
 * pagination: pass the previous page's `nextCursor`.
 */
export async function listPatients(db: Db | Tx, options: { organizationId: string; input?: TListPatientsInput }): Promise<PatientPage> {
  const input = ZListPatientsInput.parse(options.input ?? {});
  const where: Prisma.PatientWhereInput = { organizationId: options.organizationId };
  if (!input.includeArchived) where.archivedAt = null;
  if (input.query) {
    const terms = input.query.split(/\s+/).filter(Boolean).slice(0, 4);
    const digits = input.query.replace(/\D/g, "");
    where.AND = terms.map((term) => ({
      OR: [
        { firstName: { contains: term, mode: "insensitive" as const } },
        { lastName: { contains: term, mode: "insensitive" as const } },
        { email: { contains: term, mode: "insensitive" as const } },
        { externalId: { contains: term, mode: "insensitive" as const } },
        // Phones are stored in E.164 ("+15035550199"): "555-0199" finds them by its digits.
        ...(digits.length >= 3 ? [{ phone: { contains: term } }, { phone: { contains: term.replace(/\D/g, "") || term } }] : []),
      ],
    }));
  }
  const rows = await db.patient.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { data: page.map(toPatientView), nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}
