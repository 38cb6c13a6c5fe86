export type TotalsRow = { label: string; value: string; testId: string; emphasis?: boolean };

/** Label–amount rows for invoice totals; emphasised rows (total, balance due) get a rule above them. */
export function TotalsList({ rows, className, testId }: { rows: TotalsRow[]; className?: string; testId?: string }) {
  return (
    <dl className={`grid gap-2 text-sm ${className ?? ""}`} data-testid={testId}>
      {rows.map((row) => (
        <div
          key={row.label}
          className={
            row.emphasis ? "flex items-baseline justify-between gap-6 border-t pt-2 text-base font-semibold" : "flex items-baseline justify-between gap-6"
          }
        >
          <dt className={row.emphasis ? undefined : "text-muted-foreground"}>{row.label}</dt>
          <dd className="text-right tabular-nums" data-testid={row.testId}>
            {row.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
