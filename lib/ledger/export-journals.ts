import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { minorUnitDigits, toDecimalString } from "@/lib/money/currency";
import { todayIn } from "@/lib/invoices/dates";
import { ZCalendarDate } from "@/lib/validation/fields";
import { csvCell, textStream } from "@/lib/csv/csv";

export const ZLedgerExportInput = z
  .object({
    from: ZCalendarDate.optional(),
    to: ZCalendarDate.optional(),
    format: z.enum(["hledger", "csv"]).default("hledger"),
  })
  .refine((input) => !input.from || !input.to || input.from <= input.to, { message: "The end date must not be before the start date.", path: ["to"] });
export type TLedgerExportInput = z.input<typeof ZLedgerExportInput>;

const TOP_LEVEL: Record<string, string> = {
  asset: "Assets",
  liability: "Liabilities",
  revenue: "Revenue",
  contra_revenue: "Revenue",
  expense: "Expenses",
};

/** hledger's account types (A, L, R, X), so its balance sheet and income statement find each account. */
const HLEDGER_TYPE: Record<string, string> = { asset: "A", liability: "L", revenue: "R", contra_revenue: "R", expense: "X" };

const BATCH = 500;

/** hledger account names end at two spaces and cannot hold ';': keep them single-spaced and plain. */
function accountName(type: string, name: string): string {
  return `${TOP_LEVEL[type] ?? "Other"}:${name.replace(/[;:]/g, " ").replace(/\s+/g, " ").trim()}`;
}

/** A sample amount in the export's own style: "USD 1000.00", "KWD 1000.000", "JPY 1000." (hledger wants the mark even with no decimals). */
function commodityFormat(currency: string): string {
  const digits = minorUnitDigits(currency);
  return `${currency} ${toDecimalString(10 ** digits * 1000, currency)}${digits === 0 ? "." : ""}`;
}

/**
 * Declares every account and currency the journal may post to, so strict checks
 * (`hledger check -s accounts commodities`, as accountants run it) pass. The `commodity` block with
 * a `format` line is read by hledger and ledger-cli alike, and fixes the decimal mark.
 */
async function declarations(db: Db, organizationId: string, organizationCurrency: string): Promise<string> {
  const [accounts, currencies] = await Promise.all([
    db.ledgerAccount.findMany({ where: { organizationId }, select: { name: true, type: true }, orderBy: { code: "asc" } }),
    db.journalEntry.findMany({ where: { organizationId }, distinct: ["currency"], select: { currency: true } }),
  ]);
  const names = new Map<string, string>();
  for (const account of accounts) names.set(accountName(account.type, account.name), HLEDGER_TYPE[account.type] ?? "A");
  let text = "";
  for (const [name, type] of names) text += `account ${name}  ; type: ${type}\n`;
  for (const currency of [...new Set([organizationCurrency, ...currencies.map((row) => row.currency)])].sort()) {
    text += `commodity ${currency}\n  format ${commodityFormat(currency)}\n`;
  }
  return `${text}\n`;
}

function plain(text: string): string {
  return text
    .replace(/[\r\n;]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The organization's journals between two dates (in its time zone, inclusive) as a plain-text
 * journal that hledger and ledger-cli read (accounts and currencies declared), or as CSV: one transaction per journal, dated, with
 * its kind and source reference, and balanced postings per account. Streams in batches, so an
 * export of any size uses constant memory.
 */
export async function* exportJournals(db: Db, options: { organizationId: string; input: TLedgerExportInput }): AsyncGenerator<string> {
  const input = ZLedgerExportInput.parse(options.input);
  const organization = await db.organization.findUniqueOrThrow({
    where: { id: options.organizationId },
    select: { timezone: true, name: true, currency: true },
  });
  const dateOf = (moment: Date) => todayIn(organization.timezone, moment);
  // Widen the UTC window by a day on each side; exact dates are checked in the clinic's zone below.
  const gte = input.from ? new Date(new Date(`${input.from}T00:00:00Z`).getTime() - 86_400_000) : undefined;
  const lt = input.to ? new Date(new Date(`${input.to}T00:00:00Z`).getTime() + 2 * 86_400_000) : undefined;

  if (input.format === "csv") yield "date,journal_id,kind,reference,memo,account_code,account,currency,debit,credit\n";
  else {
    yield `; ${plain(organization.name)}: journals${input.from ? ` from ${input.from}` : ""}${input.to ? ` to ${input.to}` : ""}, exported by Carebill\n\n`;
    yield await declarations(db, options.organizationId, organization.currency);
  }

  let cursor: string | undefined;
  for (;;) {
    const entries = await db.journalEntry.findMany({
      where: { organizationId: options.organizationId, occurredAt: { gte, lt } },
      include: { lines: { include: { account: { select: { code: true, name: true, type: true } } }, orderBy: { amount: "desc" } } },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      take: BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (entries.length === 0) return;
    let chunk = "";
    for (const entry of entries) {
      const date = dateOf(entry.occurredAt);
      if ((input.from && date < input.from) || (input.to && date > input.to)) continue;
      const reference = `${entry.sourceType}/${entry.sourceId}`;
      if (input.format === "csv") {
        for (const line of entry.lines) {
          const amount = toDecimalString(Math.abs(line.amount), entry.currency);
          chunk += [
            date,
            entry.id,
            entry.kind,
            reference,
            plain(entry.memo),
            line.account.code,
            accountName(line.account.type, line.account.name),
            entry.currency,
            line.amount > 0 ? amount : "",
            line.amount < 0 ? amount : "",
          ]
            .map(csvCell)
            .join(",");
          chunk += "\n";
        }
      } else {
        chunk += `${date} (${entry.kind}) ${plain(entry.memo)}  ; ref:${reference}, journal:${entry.id}\n`;
        for (const line of entry.lines) {
          chunk += `    ${accountName(line.account.type, line.account.name)}  ${entry.currency} ${toDecimalString(line.amount, entry.currency)}\n`;
        }
        chunk += "\n";
      }
    }
    yield chunk;
    cursor = entries.at(-1)!.id;
    if (entries.length < BATCH) return;
  }
}

/** The export as a web stream, for route handlers. */
export function exportJournalsStream(db: Db, options: { organizationId: string; input: TLedgerExportInput }): ReadableStream<Uint8Array> {
  return textStream(exportJournals(db, options));
}
