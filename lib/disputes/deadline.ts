/** How an evidence deadline reads to staff: "3 days left", "Due in 5 h", "Overdue". */
export function evidenceDeadline(dueBy: Date | null, now = new Date()): { label: string; tone: "ok" | "warning" | "overdue" } | null {
  if (!dueBy) return null;
  const left = dueBy.getTime() - now.getTime();
  if (left <= 0) return { label: "Overdue", tone: "overdue" };
  const hours = Math.floor(left / 3_600_000);
  if (hours < 24) return { label: hours < 1 ? "Due in under 1 h" : `Due in ${hours} h`, tone: "warning" };
  const days = Math.floor(hours / 24);
  return { label: `${days} ${days === 1 ? "day" : "days"} left`, tone: days <= 3 ? "warning" : "ok" };
}
