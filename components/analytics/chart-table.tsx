import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/**
 * A chart's figures as a table, behind "Show as table": what a screen reader (or anyone who would
 * rather read) gets instead of the drawing. The first column is the row's name, the rest numbers.
 */
export function ChartTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: { key: string; cells: React.ReactNode[] }[] }) {
  return (
    <details className="group text-sm" data-testid="chart-table">
      <summary className="w-fit cursor-pointer rounded-sm text-primary underline-offset-4 hover:underline focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
        <span className="group-open:hidden">Show as table</span>
        <span className="hidden group-open:inline">Hide table</span>
      </summary>
      <Table className="mt-2">
        <caption className="sr-only">{caption}</caption>
        <TableHeader>
          <TableRow>
            {columns.map((column, index) => (
              <TableHead key={column} scope="col" className={index > 0 ? "text-right" : undefined}>
                {column}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.key}>
              {row.cells.map((cell, index) =>
                index === 0 ? (
                  <TableHead key={index} scope="row" className="font-normal text-foreground">
                    {cell}
                  </TableHead>
                ) : (
                  <TableCell key={index} className="text-right tabular-nums">
                    {cell}
                  </TableCell>
                ),
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </details>
  );
}
