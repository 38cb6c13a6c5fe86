import { z } from "zod";
import type { EmailStatus } from "@/lib/db/generated/enums";
import type { EmailAttachment } from "./email-attachments";

/** An outbox email: queued until delivered (retried when delivery fails), sent, or failed once its attempts ran out. */
export type { EmailStatus };

export const ZListEmailsInput = z.object({
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type TListEmailsInput = z.input<typeof ZListEmailsInput>;

/** One email in the mailbox list: no body, and the address only because admins need to see who was written to. */
export type EmailListItem = {
  id: string;
  kind: string;
  toAddress: string;
  subject: string;
  status: EmailStatus;
  attempts: number;
  transport: string | null;
  createdAt: string;
  sentAt: string | null;
};

export type EmailDetail = EmailListItem & {
  text: string;
  html: string;
  invoiceId: string | null;
  attachments: EmailAttachment[];
  lastError: string | null;
  messageId: string | null;
};
