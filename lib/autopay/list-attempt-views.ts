import type { Db, Tx } from "@/lib/db/client";
import type { AutopaySubjectType } from "@/lib/db/generated/enums";
import type { z } from "zod";
import type { ZAutopayAttemptView } from "@/lib/payment-plans/payment-plans.types";

type AutopayAttemptView = z.infer<typeof ZAutopayAttemptView>;

/** Every charge attempt of some subjects (a plan's installments, a membership's periods), oldest attempt first, grouped by subject id. */
export async function listAttemptViews(
  db: Db | Tx,
  options: { organizationId: string; subjectType: AutopaySubjectType; subjectIds: string[] },
): Promise<Map<string, AutopayAttemptView[]>> {
  const rows = await db.autopayCharge.findMany({
    where: { organizationId: options.organizationId, subjectType: options.subjectType, subjectId: { in: options.subjectIds } },
    orderBy: [{ attempt: "asc" }],
  });
  const bySubject = new Map<string, AutopayAttemptView[]>();
  for (const row of rows) {
    const views = bySubject.get(row.subjectId) ?? [];
    views.push({
      attempt: row.attempt,
      status: row.status,
      scheduledFor: row.scheduledFor.toISOString(),
      amount: row.amount,
      declineCode: row.declineCode,
      declineKind: row.declineKind,
      paymentId: row.paymentId,
    });
    bySubject.set(row.subjectId, views);
  }
  return bySubject;
}
