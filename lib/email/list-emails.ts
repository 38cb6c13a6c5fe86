import type { Db, Tx } from "@/lib/db/client";
import type { Email } from "@/lib/db/generated/client";
import { ZListEmailsInput, type EmailListItem, type TListEmailsInput } from "./emails.types";

export type EmailPage = { data: EmailListItem[]; nextCursor: string | null };

export function toEmailListItem(email: Email): EmailListItem {
  return {
    id: email.id,
    kind: email.kind,
    toAddress: email.toAddress,
    subject: email.subject,
    status: email.status,
    attempts: email.attempts,
    transport: email.transport,
    createdAt: email.createdAt.toISOString(),
    sentAt: email.sentAt?.toISOString() ?? null,
  };
}

/** The organization's emails (the outbox and what left it), newest first, cursor-paginated. */
export async function listEmails(db: Db | Tx, options: { organizationId: string; input?: TListEmailsInput }): Promise<EmailPage> {
  const input = ZListEmailsInput.parse(options.input ?? {});
  const rows = await db.email.findMany({
    where: { organizationId: options.organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { data: page.map(toEmailListItem), nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}
