import { formatCalendarDate, formatDateTime } from "@/lib/dates/format-date";
import type { CoverageRevisionView } from "@/lib/insurance/insurance.types";
import { formatMoney } from "@/lib/money/currency";
import { Badge } from "@/components/ui/badge";
import { formatPercent } from "./insurance-options";

const CHANGE_LABELS: Record<string, string> = {
  created: "Added",
  updated: "Edited",
  benefits_verified: "Benefits entered by hand",
  eligibility_applied: "Benefits from an eligibility check",
  remittance_applied: "Deductible and out-of-pocket met, from a posted remittance",
  ended: "Ended",
  archived: "Removed",
};

/** "subscriberBirthDate" → "Subscriber birth date"; "benefits.copays" → "Benefits copays". */
function humanize(key: string): string {
  const words = key
    .replace(/[._]/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A snapshot value as people read it: money in the coverage's currency, percentages, co-pays, dates. */
function show(key: string, value: unknown, format: { currency: string; timeZone: string }): string {
  if (value === null || value === undefined || value === "") return "—";
  const leaf = key.split(".").pop() ?? key;
  if (typeof value === "number" && /basisPoints$/i.test(leaf)) return `${formatPercent(value)}%`;
  if (typeof value === "number" && /^(deductible|outOfPocket|amount)/i.test(leaf)) return formatMoney(value, format.currency);
  if (Array.isArray(value) && /copays$/i.test(leaf)) {
    if (value.length === 0) return "none";
    return value
      .map(
        (copay: { label?: string; visitType?: string; amount?: number }) =>
          `${copay.label ?? copay.visitType ?? "?"} ${formatMoney(copay.amount ?? 0, format.currency)}`,
      )
      .join(", ");
  }
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(value, { timeZone: format.timeZone });
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatCalendarDate(value);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** The snapshot's leaves as dot-joined keys, so nested parts (the subscriber, the benefits) compare field by field. */
function flatten(value: Record<string, unknown>, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (inner !== null && typeof inner === "object" && !Array.isArray(inner))
      for (const [k, v] of flatten(inner as Record<string, unknown>, path)) out.set(k, v);
    else out.set(path, inner);
  }
  return out;
}

/** What differs from the previous version, one line per field (bookkeeping fields left out). */
export function revisionChanges(
  previous: Record<string, unknown> | null,
  next: Record<string, unknown>,
  format: { currency: string; timeZone: string },
): { field: string; from: string; to: string }[] {
  if (!previous) return [];
  const before = flatten(previous);
  const after = flatten(next);
  const keys = [...new Set([...before.keys(), ...after.keys()])].filter((key) => !/(^|\.)(version|updatedAt|createdAt|id)$/.test(key));
  return keys
    .filter((key) => JSON.stringify(before.get(key) ?? null) !== JSON.stringify(after.get(key) ?? null))
    .map((key) => ({ field: humanize(key), from: show(key, before.get(key), format), to: show(key, after.get(key), format) }));
}

/** A coverage's versions, newest first: who changed it, when, how, and which fields moved. */
export function CoverageHistory({ revisions, currency, timeZone }: { revisions: CoverageRevisionView[]; currency: string; timeZone: string }) {
  if (revisions.length === 0) return <p className="text-sm text-muted-foreground">No history recorded.</p>;
  const byVersion = new Map(revisions.map((revision) => [revision.version, revision]));
  const newestFirst = [...revisions].sort((a, b) => b.version - a.version);
  return (
    <ol className="grid gap-4" data-testid="coverage-history">
      {newestFirst.map((revision) => {
        const changes = revisionChanges(byVersion.get(revision.version - 1)?.snapshot ?? null, revision.snapshot, { currency, timeZone });
        return (
          <li key={revision.version} className="grid gap-2 border-l-2 pl-4" data-testid="coverage-revision">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Badge variant="outline">Version {revision.version}</Badge>
              <span className="font-medium">{CHANGE_LABELS[revision.change] ?? humanize(revision.change)}</span>
              <span className="text-muted-foreground">
                {formatDateTime(revision.createdAt, { timeZone }, { zoneName: true })} · {revision.actor}
              </span>
            </div>
            {changes.length > 0 && (
              <ul className="grid gap-1 text-sm">
                {changes.map((change) => (
                  <li key={change.field} className="break-words">
                    <span className="text-muted-foreground">{change.field}:</span> <s className="text-muted-foreground">{change.from}</s> → {change.to}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
