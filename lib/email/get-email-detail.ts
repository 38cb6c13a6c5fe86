import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { parseEmailAttachments } from "./email-attachments";
import type { EmailDetail } from "./emails.types";
import { toEmailListItem } from "./list-emails";

/**
 * One email of this organization with its bodies, or NOT_FOUND (also for other organizations'
 * ids). An email to a patient is PHI, so every call records an `email.viewed` audit entry.
 */
export async function getEmailDetail(db: Db, options: { organizationId: string; emailId: string; actor: AuditActor }): Promise<EmailDetail> {
  const email = await db.email.findFirst({ where: { id: options.emailId, organizationId: options.organizationId } });
  if (!email) throw new AppError("NOT_FOUND", "That email does not exist.");
  await recordAuditEvent(db, { organizationId: options.organizationId, actor: options.actor, action: "email.viewed", target: { type: "email", id: email.id } });
  return {
    ...toEmailListItem(email),
    text: email.text,
    html: email.html,
    invoiceId: email.invoiceId,
    attachments: parseEmailAttachments(email.attachments),
    lastError: email.lastError,
    messageId: email.messageId,
  };
}
