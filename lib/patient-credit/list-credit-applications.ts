import type { Db, Tx } from "@/lib/db/client";
import { toCreditApplicationView, type CreditApplicationView } from "./patient-credit.types";

/** The patient credit applied to one invoice, oldest first, with who applied it (null: automatic or an API key). */
export async function listCreditApplications(
  db: Db | Tx,
  options: { organizationId: string; invoiceId: string },
): Promise<(CreditApplicationView & { createdByName: string | null })[]> {
  const applications = await db.creditApplication.findMany({
    where: { organizationId: options.organizationId, invoiceId: options.invoiceId },
    orderBy: { createdAt: "asc" },
  });
  const userIds = [...new Set(applications.map((application) => application.createdById).filter((id): id is string => id !== null))];
  const users = userIds.length === 0 ? [] : await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } });
  const names = new Map(users.map((user) => [user.id, user.name]));
  return applications.map((application) => ({
    ...toCreditApplicationView(application),
    createdByName: application.createdById ? (names.get(application.createdById) ?? null) : null,
  }));
}
