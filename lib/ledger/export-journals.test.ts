import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { markInvoiceUncollectible } from "@/lib/invoices/mark-invoice-uncollectible";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { toDecimalString } from "@/lib/money/currency";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { getTrialBalance } from "./balances";
import { exportJournals } from "./export-journals";

const database = setupTestDatabase();
const actor = testActor();
const run = promisify(execFile);

async function collect(generator: AsyncGenerator<string>) {
  let text = "";
  for await (const chunk of generator) text += chunk;
  return text;
}

async function booksWithActivity() {
  const { organizationId } = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId });
  const invoice = (lines: { description: string; quantity: number; unitAmount: number; taxExempt?: boolean }[], extra = {}) =>
    createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines, ...extra } }).then((draft) =>
      finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor }),
    );
  await invoice(
    [
      { description: "Visit; follow-up", quantity: 1, unitAmount: 15_000 },
      { description: "Records", quantity: 1, unitAmount: 1_000, taxExempt: true },
    ],
    { taxRate: 8.25, discount: { percent: 10 } },
  );
  const voided = await invoice([{ description: "Duplicate", quantity: 1, unitAmount: 9_900 }]);
  await voidInvoice(database.db, { organizationId, invoiceId: voided.id, actor, input: { reason: "Entered twice" } });
  const writtenOff = await invoice([{ description: "Old balance", quantity: 3, unitAmount: 3_333 }]);
  await markInvoiceUncollectible(database.db, { organizationId, invoiceId: writtenOff.id, actor, input: { reason: "Unreachable" } });
  return organizationId;
}

describe("ledger export", () => {
  it("writes a journal that hledger checks and balances exactly like the app's trial balance", async () => {
    const organizationId = await booksWithActivity();
    const journal = await collect(exportJournals(database.db, { organizationId, input: { format: "hledger" } }));
    expect(journal).toMatch(/\(invoice\.finalized\) Invoice INV-00001 {2}; ref:invoice\//);
    // Every account of the chart is declared, the claims' ones too (lib/claims/claim-receivable.test.ts exports their journals).
    for (const account of [
      "Assets:Accounts receivable — insurance  ; type: A",
      "Assets:Insurance clearing  ; type: A",
      "Revenue:Contractual adjustments  ; type: R",
      "Revenue:Insurance write-offs  ; type: R",
    ])
      expect(journal).toContain(`account ${account}\n`);
    const dir = await mkdtemp(join(tmpdir(), "carebill-ledger-"));
    try {
      const file = join(dir, "books.journal");
      await writeFile(file, journal);
      await run("hledger", ["-f", file, "check"]);
      // Strict mode, as accountants run it: every account and commodity posted to is declared.
      await run("hledger", ["-f", file, "check", "--strict", "accounts", "commodities"]);
      await run("hledger", ["-f", file, "balance", "--strict"]);
      const { stdout } = await run("hledger", ["-f", file, "balance", "--flat", "--no-total", "-O", "csv"]);
      const fromHledger = Object.fromEntries(
        stdout
          .trim()
          .split("\n")
          .slice(1)
          .map((row) => row.split('","').map((cell) => cell.replace(/"/g, "")))
          .map(([account, amount]) => [account, amount]),
      );
      const names: Record<string, string> = { asset: "Assets", liability: "Liabilities", revenue: "Revenue", contra_revenue: "Revenue", expense: "Expenses" };
      const fromApp = Object.fromEntries(
        (await getTrialBalance(database.db, organizationId))
          .filter((row) => row.balance !== 0)
          .map((row) => [`${names[row.type]}:${row.name}`, `${row.currency} ${toDecimalString(row.balance, row.currency)}`]),
      );
      expect(Object.keys(fromApp).length).toBeGreaterThan(3);
      expect(fromHledger).toEqual(fromApp);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("declares every currency with its own decimals, so strict hledger reads 0- and 3-decimal currencies", async () => {
    const { organizationId } = await createTestOrganization(database.db);
    const patient = await createTestPatient(database.db, { organizationId });
    for (const [currency, unitAmount] of [
      ["JPY", 4_500],
      ["KWD", 12_345],
      ["USD", 1_000],
    ] as const) {
      const draft = await createInvoice(database.db, {
        organizationId,
        actor,
        input: { patientId: patient.id, currency, lines: [{ description: "Visit", quantity: 1, unitAmount }] },
      });
      await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    }
    const journal = await collect(exportJournals(database.db, { organizationId, input: { format: "hledger" } }));
    expect(journal).toContain("commodity KWD\n  format KWD 1000.000\n");
    expect(journal).toContain("commodity JPY\n  format JPY 1000.\n");
    const dir = await mkdtemp(join(tmpdir(), "carebill-ledger-"));
    try {
      const file = join(dir, "books.journal");
      await writeFile(file, journal);
      await run("hledger", ["-f", file, "check", "--strict", "accounts", "commodities"]);
      const { stdout } = await run("hledger", ["-f", file, "balance", "--strict", "--flat", "--no-total", "Receivable", "-O", "csv"]);
      expect(stdout).toContain("JPY 4500");
      expect(stdout).toContain("KWD 12.345");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("exports CSV rows whose debits equal credits, and filters by date in the clinic's time zone", async () => {
    const organizationId = await booksWithActivity();
    const csv = await collect(exportJournals(database.db, { organizationId, input: { format: "csv" } }));
    const rows = csv.trim().split("\n").slice(1);
    expect(rows.length).toBeGreaterThan(8);
    const cents = (value: string) => (value ? Math.round(Number(value) * 100) : 0);
    const parsed = rows.map((row) => row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((cell) => cell.replace(/,$/, "")));
    const debits = parsed.reduce((sum, cells) => sum + cents(cells[8]!), 0);
    const credits = parsed.reduce((sum, cells) => sum + cents(cells[9]!), 0);
    expect(debits).toBe(credits);
    expect(csv).toContain(",Invoice INV-00001,");

    const future = await collect(exportJournals(database.db, { organizationId, input: { format: "csv", from: "2099-01-01" } }));
    expect(future.trim().split("\n")).toHaveLength(1);
  });

  it("rejects a reversed date range", async () => {
    await expect(exportJournals(database.db, { organizationId: crypto.randomUUID(), input: { from: "2026-02-01", to: "2026-01-01" } }).next()).rejects.toThrow(
      /must not be before the start date/,
    );
  });
});
