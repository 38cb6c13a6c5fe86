import type { BadgeProps } from "@/components/ui/badge";
import type { EmailStatus } from "@/lib/email/emails.types";

export const EMAIL_STATUS: Record<EmailStatus, { label: string; variant: BadgeProps["variant"] }> = {
  queued: { label: "Queued", variant: "warning" },
  sent: { label: "Sent", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
};

const KIND_LABELS: Record<string, string> = {
  invoice: "Invoice",
  receipt: "Receipt",
  dispute_opened: "Dispute alert",
  member_invitation: "Invitation",
  alert: "Alert",
};

export function emailKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

const AUDIENCE: Record<string, string> = {
  invoice: "Shown as the patient sees it.",
  receipt: "Shown as the patient sees it.",
  dispute_opened: "A staff alert, sent to the clinic's admins (never to the patient). Shown as they see it.",
  member_invitation: "Shown as the invited person sees it.",
  alert: "A staff alert (a rule in Settings → Alerts fired), sent to the clinic's admins. Shown as they see it.",
};

/** Who reads an email of this kind, for the mailbox's preview: patients only get invoices and receipts. */
export function emailAudienceNote(kind: string): string {
  return AUDIENCE[kind] ?? "Shown as the recipient sees it.";
}

export function transportLabel(transport: string | null): string {
  if (transport === "mailbox") return "Kept in this mailbox (demo mode, not sent)";
  if (transport === "smtp") return "SMTP";
  return "Not yet delivered";
}
