import type { EmailStatus } from "@/lib/email/emails.types";
import { Badge } from "@/components/ui/badge";
import { EMAIL_STATUS } from "./email-labels";

export function EmailStatusBadge({ status }: { status: EmailStatus }) {
  const { label, variant } = EMAIL_STATUS[status];
  return <Badge variant={variant}>{label}</Badge>;
}
