import type { Metadata } from "next";
import Link from "next/link";
import { Scale } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { formatMoney } from "@/lib/money/currency";
import { listUnderpaidLines, type UnderpaidLineView } from "@/lib/remittances/underpaid";
import { readQueueCursor } from "@/lib/search/list-params";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { QueuePage } from "@/components/remittances/queue-page";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Underpaid" };

const PAGE_SIZE = 25;
const PATH = "/app/claims/underpaid";

const money = (cents: number) => formatMoney(cents, "USD");
const service = (line: UnderpaidLineView) => [line.procedureCode, ...line.modifiers].join("-");
const units = (line: UnderpaidLineView) => (line.units === 1 ? "" : ` × ${line.units}`);
const serviceDate = (line: UnderpaidLineView) => (line.serviceDate ? formatIsoDate(line.serviceDate) : "Date not sent");
const linkClass = "font-medium text-primary underline-offset-4 hover:underline";

/**
 * The underpaid work queue: lines of posted payments the payer allowed less for than the fee
 * schedule the clinic entered, with the shortfall to take up with the payer (appeal or call).
 */
export default async function UnderpaidPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const cursor = readQueueCursor(await searchParams);
  const page = await listUnderpaidLines(await getDb(), { organizationId: auth.organization.id, cursor, limit: PAGE_SIZE });

  return (
    <QueuePage
      title="Underpaid"
      description="Service lines of posted payments that the payer allowed less for than its fee schedule, newest payment first. Expected is the fee × the units paid; allowed is what the payer's remittance allowed."
      path={PATH}
      cursor={cursor ?? null}
      nextCursor={page.nextCursor}
      isEmpty={page.lines.length === 0}
      icon={Scale}
      framed
      noMore={{ title: "No more lines", description: "Every underpaid line is on the pages before." }}
      empty={{
        title: "Nothing underpaid",
        description:
          "Enter each payer's fee schedule in Settings → Payers (what it allows per code). Lines of posted payments allowed less than it then show here.",
        link: { href: "/app/settings/payers", label: "Payers and fee schedules" },
      }}
    >
      <>
        <ul className="grid gap-3 lg:hidden" data-testid="underpaid-cards">
          {page.lines.map((line) => (
            <li key={line.id} className="grid gap-2 rounded-lg border p-4 text-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                <Link href={`/app/claims/${line.claim.id}`} className={linkClass}>
                  {line.claim.displayNumber}
                </Link>
                <span className="font-semibold tabular-nums">{money(line.shortfall)} short</span>
              </div>
              <p className="break-words">
                {line.patient.name} · {line.payer.name}
              </p>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                <dt className="text-muted-foreground">Service</dt>
                <dd>
                  <span className="font-mono">{service(line)}</span>
                  {units(line)} on {serviceDate(line)}
                </dd>
                <dt className="text-muted-foreground">Expected</dt>
                <dd className="tabular-nums">{money(line.expectedAmount)}</dd>
                <dt className="text-muted-foreground">Allowed</dt>
                <dd className="tabular-nums">{money(line.allowedAmount)}</dd>
                <dt className="text-muted-foreground">Paid</dt>
                <dd className="tabular-nums">{money(line.paidAmount)}</dd>
                <dt className="text-muted-foreground">Payment</dt>
                <dd className="min-w-0 break-all">
                  <Link href={`/app/claims/remittances/${line.remittance.id}`} className={linkClass}>
                    {line.remittance.traceNumber}
                  </Link>
                </dd>
              </dl>
            </li>
          ))}
        </ul>
        <div className="hidden lg:block">
          <Table data-testid="underpaid-lines">
            <TableHeader>
              <TableRow>
                <TableHead>Claim</TableHead>
                <TableHead>Service</TableHead>
                <TableHead className="text-right">Expected</TableHead>
                <TableHead className="text-right">Allowed</TableHead>
                <TableHead className="text-right">Paid</TableHead>
                <TableHead className="text-right">Shortfall</TableHead>
                <TableHead>Payment</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.lines.map((line) => (
                <TableRow key={line.id}>
                  <TableCell className="align-top">
                    <Link href={`/app/claims/${line.claim.id}`} className={linkClass}>
                      {line.claim.displayNumber}
                    </Link>
                    <span className="block text-muted-foreground">{line.patient.name}</span>
                  </TableCell>
                  <TableCell className="align-top">
                    <span className="font-mono">{service(line)}</span>
                    {units(line)}
                    <span className="block text-muted-foreground">
                      {serviceDate(line)} · {line.payer.name}
                    </span>
                  </TableCell>
                  <TableCell className="text-right align-top whitespace-nowrap tabular-nums">{money(line.expectedAmount)}</TableCell>
                  <TableCell className="text-right align-top whitespace-nowrap tabular-nums">{money(line.allowedAmount)}</TableCell>
                  <TableCell className="text-right align-top whitespace-nowrap tabular-nums">{money(line.paidAmount)}</TableCell>
                  <TableCell className="text-right align-top font-semibold whitespace-nowrap tabular-nums">{money(line.shortfall)}</TableCell>
                  <TableCell className="align-top">
                    <Link href={`/app/claims/remittances/${line.remittance.id}`} className={linkClass}>
                      {line.remittance.traceNumber}
                    </Link>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </>
    </QueuePage>
  );
}
