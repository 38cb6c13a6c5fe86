import { formatMoney } from "@/lib/money/currency";
import type { ServiceLineView } from "@/lib/claims/claims.types";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { renderingProviderLabel } from "./claim-format";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** A line, with its own rendering provider when someone other than the claim's provider rendered it. */
type LineRow = ServiceLineView & { renderingProvider?: { firstName: string; lastName: string; npi: string } | null };

/**
 * A visit's or claim's diagnoses (numbered, as the pointers name them) and its service lines with
 * the total; a line rendered by someone other than the claim's rendering provider says by whom.
 */
export function ServiceLinesTable({
  diagnoses,
  lines,
  totalCharge,
  currency,
}: {
  diagnoses: string[];
  lines: LineRow[];
  totalCharge: number;
  currency: string;
}) {
  return (
    <div className="grid gap-4">
      <div>
        <h3 className="mb-2 text-sm font-semibold">Diagnoses</h3>
        <ol className="flex flex-wrap gap-2" data-testid="diagnoses">
          {diagnoses.map((code, index) => (
            <li key={`${code}-${index}`} className="inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-sm">
              <span className="font-semibold text-muted-foreground tabular-nums">{index + 1}</span>
              <span className="font-mono">{code}</span>
            </li>
          ))}
        </ol>
      </div>
      <Table className="[&_td]:px-2 [&_th]:px-2 sm:[&_td]:px-3 sm:[&_th]:px-3" data-testid="service-lines">
        <TableHeader>
          <TableRow>
            <TableHead>Service</TableHead>
            <TableHead className="hidden sm:table-cell">Date</TableHead>
            <TableHead className="hidden sm:table-cell">Units</TableHead>
            <TableHead>Pointers</TableHead>
            <TableHead className="text-right">Charge</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {lines.map((line) => (
            <TableRow key={line.id}>
              <TableCell className="min-w-0">
                <span className="font-mono font-medium">{line.procedureCode}</span>
                {line.modifiers.length > 0 && <span className="ml-1 font-mono text-muted-foreground">{line.modifiers.join(" ")}</span>}
                {line.description && <span className="block text-sm break-words text-muted-foreground">{line.description}</span>}
                {line.renderingProvider && (
                  <span className="block text-sm break-words text-muted-foreground" data-testid="line-rendering-provider">
                    Rendered by {renderingProviderLabel(line.renderingProvider)}
                  </span>
                )}
                <span className="block text-xs text-muted-foreground sm:hidden">
                  {formatIsoDate(line.serviceDate)} · {line.units} {line.units === 1 ? "unit" : "units"}
                </span>
              </TableCell>
              <TableCell className="hidden whitespace-nowrap sm:table-cell">{formatIsoDate(line.serviceDate)}</TableCell>
              <TableCell className="hidden tabular-nums sm:table-cell">{line.units}</TableCell>
              <TableCell className="tabular-nums">{line.diagnosisPointers.join(", ")}</TableCell>
              <TableCell className="text-right whitespace-nowrap tabular-nums">{formatMoney(line.chargeAmount, currency)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
        <TableFooter>
          <TableRow>
            <TableCell colSpan={2} className="font-medium sm:hidden">
              Total
            </TableCell>
            <TableCell colSpan={4} className="hidden font-medium sm:table-cell">
              Total
            </TableCell>
            <TableCell className="text-right font-semibold whitespace-nowrap tabular-nums" data-testid="lines-total">
              {formatMoney(totalCharge, currency)}
            </TableCell>
          </TableRow>
        </TableFooter>
      </Table>
    </div>
  );
}
