import type { Db, Tx } from "@/lib/db/client";
import { toCreditApplicationView, type CreditApplicationView } from "./patient-credit.types";

/**
 * The patient credit applied to one invoice, oldest first, with who applied it (null: automatic or an
 * API key) and when it was taken back off the invoice (its `credit.unapplied` journal), if it was.
 */
export async function listCreditApplications(
  db: Db | Tx,
  options: { organizationId: string; invoiceId: string },
): Promise<(CreditApplicationView & { createdByName: string | null; unappliedAt: string | null })[]> {
  const applications = await db.creditApplication.findMany({
    where: { organizationId: options.organizationId, invoiceId: options.invoiceId },
    orderBy: { createdAt: "asc" },
  });
  const userIds = [...new Set(applications.map((application) => application.createdById).filter((id): id is string => id !== null))];
  const users = userIds.length === 0 ? [] : await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } });
  const names = new Map(users.map((user) => [user.id, user.name]));
  const takenBack =
    applications.length === 0
      ? []
      : await db.journalEntry.findMany({
          where: {
            organizationId: options.organizationId,
            sourceType: "credit_application",
            sourceId: { in: applications.map((row) => row.id) },
            kind: "credit.unapplied",
          },
          select: { sourceId: true, occurredAt: true },
        });
  const unappliedAt = new Map(takenBack.map((row) => [row.sourceId, row.occurredAt.toISOString()]));
  return applications.map((application) => ({
    ...toCreditApplicationView(application),
    createdByName: application.createdById ? (names.get(application.createdById) ?? null) : null,
    unappliedAt: unappliedAt.get(application.id) ?? null,
  }));
}
