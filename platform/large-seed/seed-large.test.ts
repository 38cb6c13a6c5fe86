import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLedger } from "@/lib/ledger/balances";
import { computeInvoiceTotals } from "@/lib/money/invoice-totals";
import { setupTestDatabase } from "@/tests/test-database";
import { LARGE_ORGANIZATIONS } from "./large-catalog";

const run = promisify(execFile);
const database = setupTestDatabase();
const INVOICES = 3000;
let client: pg.Client;
let output: string;

/** `npm run seed:large -- --invoices 3000`, as a user runs it, against this file's fresh database (as its owner). */
beforeAll(async () => {
  const result = await run(process.execPath, ["--import", "tsx", "scripts/seed-large.ts", "--invoices", String(INVOICES)], {
    env: { ...process.env, DATABASE_URL: database.ownerUrl },
    maxBuffer: 10 * 1024 * 1024,
    timeout: 170_000,
  });
  output = result.stderr;
  client = new pg.Client({ connectionString: database.ownerUrl });
  await client.connect();
}, 180_000);
afterAll(() => client?.end());

const rows = async <T>(text: string, values: unknown[] = []): Promise<T[]> => (await client.query(text, values)).rows as T[];

describe("seed:large", () => {
  it("writes the history with a progress bar and leaves books the repository's ledger checks accept", async () => {
    expect(output).toMatch(/100\.0%\s+3,000\/3,000 invoices/);
    expect(output).toMatch(/seeded 3,000 invoices in/);
    expect(await checkLedger(database.db)).toEqual({
      unbalancedCurrencies: [],
      invoiceMismatches: [],
      patientCreditMismatches: [],
      allocationMismatches: [],
      claimMismatches: [],
    });
    const organizations = await rows<{ slug: string; timezone: string; invoices: string }>(
      `SELECT o.slug, o.timezone, count(i.id)::text AS invoices FROM organizations o JOIN invoices i ON i.organization_id = o.id GROUP BY o.slug, o.timezone ORDER BY count(i.id) DESC`,
    );
    expect(organizations.map((row) => row.slug)).toEqual(LARGE_ORGANIZATIONS.map((organization) => organization.slug));
    expect(new Set(organizations.map((row) => row.timezone)).size).toBe(4);
    expect(organizations.reduce((sum, row) => sum + Number(row.invoices), 0)).toBe(INVOICES);
  });

  it("leaves analytics' rollups refreshed: per clinic and account, rollups plus the journals past their horizon equal the journal lines", async () => {
    expect(output).toMatch(/refreshed the analytics rollups in/);
    // The horizon is the cluster's oldest running transaction when the refresh ran: on a busy server
    // some of the seed's journals may still be above it, and reports read those live.
    const differences = await rows(`
      WITH direct AS (
        SELECT l.organization_id, a.code, SUM(l.amount) AS direct FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id GROUP BY 1, 2
      ), rolled AS (
        SELECT organization_id, account_code AS code, SUM(amount) AS rolled FROM ledger_daily_totals GROUP BY 1, 2
      ), live AS (
        SELECT e.organization_id, a.code, SUM(l.amount) AS live
        FROM journal_entries e JOIN ledger_rollup_state s ON s.organization_id = e.organization_id AND e.xact_id >= s.horizon
        JOIN journal_lines l ON l.journal_entry_id = e.id JOIN ledger_accounts a ON a.id = l.account_id GROUP BY 1, 2
      )
      SELECT * FROM direct FULL JOIN rolled USING (organization_id, code) FULL JOIN live USING (organization_id, code)
      WHERE COALESCE(direct, 0) <> COALESCE(rolled, 0) + COALESCE(live, 0)`);
    expect(differences).toEqual([]);
    expect(await rows(`SELECT organization_id FROM ledger_rollup_state`)).toHaveLength(4);
    const [services] = await rows<{ rolled: string; direct: string }>(`
      SELECT (SELECT SUM(net_charges) FROM service_daily_totals)::text AS rolled,
             (SELECT SUM(CASE WHEN e.kind IN ('invoice.finalized', 'invoice.voided') THEN l.amount ELSE -l.amount END)
              FROM journal_lines l JOIN journal_entries e ON e.id = l.journal_entry_id JOIN ledger_accounts a ON a.id = l.account_id
              WHERE (e.kind IN ('invoice.finalized', 'invoice.voided') AND a.code = '1100')
                 OR (e.kind IN ('credit_note.issued', 'credit_note.voided') AND a.code IN ('4910', '2100')))::text AS direct`);
    // Net charges shared across invoice lines add up to the invoices' charges exactly (when no journal was left above the horizon).
    const [live] = await rows<{ count: string }>(
      `SELECT count(*)::text FROM journal_entries e JOIN ledger_rollup_state s ON s.organization_id = e.organization_id AND e.xact_id >= s.horizon`,
    );
    if (live!.count === "0") expect(services!.rolled).toBe(services!.direct);
    else expect(Number(services!.rolled)).toBeLessThanOrEqual(Number(services!.direct));
  });

  it("recomputes every invoice's money fields from the ledger: total, paid, credited, written off, due", async () => {
    const mismatches = await rows(`
      WITH ar AS (
        SELECT l.invoice_id,
               SUM(l.amount) FILTER (WHERE e.kind IN ('invoice.finalized', 'invoice.voided')) AS billed,
               -SUM(l.amount) FILTER (WHERE e.kind IN ('payment.succeeded', 'payment.manual', 'refund.requested', 'refund.failed', 'dispute.reopened')) AS paid,
               -SUM(l.amount) FILTER (WHERE e.kind IN ('credit_note.issued', 'credit_note.voided')) AS credited,
               -SUM(l.amount) FILTER (WHERE e.kind = 'invoice.written_off') AS written_off,
               SUM(l.amount) AS due
        FROM journal_lines l JOIN journal_entries e ON e.id = l.journal_entry_id JOIN ledger_accounts a ON a.id = l.account_id
        WHERE a.code = '1100' GROUP BY l.invoice_id
      )
      SELECT i.id, i.status, i.total, i.amount_paid, i.amount_credited, i.amount_written_off, i.amount_due, ar.*
      FROM invoices i LEFT JOIN ar ON ar.invoice_id = i.id
      WHERE i.status <> 'draft' AND (
        COALESCE(ar.billed, 0) <> CASE WHEN i.status = 'void' THEN 0 ELSE i.total END
        OR COALESCE(ar.paid, 0) <> i.amount_paid OR COALESCE(ar.credited, 0) <> i.amount_credited
        OR COALESCE(ar.written_off, 0) <> i.amount_written_off OR COALESCE(ar.due, 0) <> i.amount_due)`);
    expect(mismatches).toEqual([]);
    // Drafts have no journal at all.
    expect(await rows(`SELECT e.id FROM journal_entries e JOIN invoices i ON i.id = e.source_id WHERE i.status = 'draft'`)).toEqual([]);
  });

  it("keeps each clinic's accounts-receivable balance equal to the sum of its open invoices' amount due", async () => {
    const receivables = await rows<{ slug: string; ledger: string; invoices: string }>(`
      SELECT o.slug,
        (SELECT COALESCE(SUM(l.amount), 0) FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE a.organization_id = o.id AND a.code = '1100')::text AS ledger,
        (SELECT COALESCE(SUM(amount_due), 0) FROM invoices WHERE organization_id = o.id AND status IN ('open', 'partially_paid', 'uncollectible'))::text AS invoices
      FROM organizations o`);
    expect(receivables).toHaveLength(4);
    for (const row of receivables) {
      expect(row.ledger).toBe(row.invoices);
      expect(Number(row.ledger)).toBeGreaterThan(0);
    }
  });

  it("numbers invoices, credit notes and receipts gaplessly per clinic, invoices in the order they were finalized", async () => {
    const numbering = await rows<{ kind: string; total: string; distinct_numbers: string; max_value: number; counter: number }>(`
      SELECT 'invoice' AS kind, organization_id, count(number)::text AS total, count(DISTINCT number)::text AS distinct_numbers, max(substring(number FROM '[0-9]+$')::int) AS max_value,
             (SELECT value FROM organization_counters c WHERE c.organization_id = i.organization_id AND c.name = 'invoice') AS counter
      FROM invoices i WHERE number IS NOT NULL GROUP BY organization_id
      UNION ALL
      SELECT 'credit_note', organization_id, count(number)::text, count(DISTINCT number)::text, max(substring(number FROM '[0-9]+$')::int),
             (SELECT value FROM organization_counters c WHERE c.organization_id = n.organization_id AND c.name = 'credit_note')
      FROM credit_notes n GROUP BY organization_id
      UNION ALL
      SELECT 'receipt', organization_id, count(receipt_number)::text, count(DISTINCT receipt_number)::text, max(substring(receipt_number FROM '[0-9]+$')::int),
             (SELECT value FROM organization_counters c WHERE c.organization_id = p.organization_id AND c.name = 'receipt')
      FROM payments p WHERE receipt_number IS NOT NULL GROUP BY organization_id`);
    expect(numbering.filter((row) => row.kind === "invoice")).toHaveLength(4);
    for (const row of numbering) {
      expect(row.total).toBe(row.distinct_numbers);
      expect(Number(row.total)).toBe(row.max_value);
      expect(row.counter).toBe(row.max_value);
    }
    const outOfOrder = await rows(`
      SELECT id FROM (
        SELECT id, finalized_at, lag(finalized_at) OVER (PARTITION BY organization_id ORDER BY substring(number FROM '[0-9]+$')::int) AS previous
        FROM invoices WHERE number IS NOT NULL) x
      WHERE finalized_at < previous`);
    expect(outOfOrder).toEqual([]);
    expect(await rows(`SELECT id FROM payments WHERE (status = 'succeeded') <> (receipt_number IS NOT NULL)`)).toEqual([]);
  });

  it("stores every invoice's lines and totals as computeInvoiceTotals computes them", async () => {
    const invoices = await rows<{
      tax: number;
      discount_type: string;
      discount_value: number;
      subtotal: number;
      discount_total: number;
      tax_total: number;
      total: number;
      lines: { quantity: number; unitAmount: number; taxExempt: boolean; amount: number; discountAmount: number; taxAmount: number }[];
    }>(`
      SELECT i.tax_rate_milli_percent AS tax, i.discount_type::text, i.discount_value, i.subtotal, i.discount_total, i.tax_total, i.total,
             json_agg(json_build_object('quantity', l.quantity, 'unitAmount', l.unit_amount, 'taxExempt', l.tax_exempt, 'amount', l.amount,
                                        'discountAmount', l.discount_amount, 'taxAmount', l.tax_amount) ORDER BY l.position) AS lines
      FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id GROUP BY i.id`);
    expect(invoices).toHaveLength(INVOICES);
    for (const invoice of invoices) {
      const totals = computeInvoiceTotals({
        lines: invoice.lines,
        taxRateMilliPercent: invoice.tax,
        discount: invoice.discount_type === "percent" ? { type: "percent", milliPercent: invoice.discount_value } : { type: "none" },
      });
      expect({ subtotal: invoice.subtotal, discountTotal: invoice.discount_total, taxTotal: invoice.tax_total, total: invoice.total }).toEqual({
        subtotal: totals.subtotal,
        discountTotal: totals.discountTotal,
        taxTotal: totals.taxTotal,
        total: totals.total,
      });
      expect(invoice.lines.map(({ amount, discountAmount, taxAmount }) => ({ amount, discountAmount, taxAmount }))).toEqual(totals.lines);
    }
    expect(invoices.some((invoice) => invoice.discount_total > 0)).toBe(true);
    expect(invoices.some((invoice) => invoice.tax_total > 0)).toBe(true);
  });

  it("has the history's variety: every invoice status, every payment channel, declines, refunds, credit notes, write-offs and disputes", async () => {
    const statuses = await rows<{ status: string }>(`SELECT DISTINCT status::text FROM invoices ORDER BY 1`);
    expect(statuses.map((row) => row.status)).toEqual(["draft", "open", "paid", "partially_paid", "uncollectible", "void"]);
    const channels = await rows<{ channel: string }>(
      `SELECT DISTINCT source::text || '/' || method_type::text AS channel FROM payments WHERE status = 'succeeded' ORDER BY 1`,
    );
    expect(channels.map((row) => row.channel)).toEqual([
      "manual/bank_transfer",
      "manual/card_terminal",
      "manual/cash",
      "manual/check",
      "pay_page/card",
      "pay_page/us_bank_account",
      "saved_card/card",
    ]);
    const [counts] = await rows<Record<string, string>>(`
      SELECT (SELECT count(*) FROM payments WHERE status = 'failed' AND failure_code IS NOT NULL)::text AS failed,
             (SELECT count(*) FROM payments WHERE status = 'succeeded' AND failure_code IS NOT NULL)::text AS declined_then_paid,
             (SELECT count(DISTINCT failure_code) FROM payments)::text AS decline_codes,
             (SELECT count(*) FROM payments WHERE status = 'canceled')::text AS canceled,
             (SELECT count(*) FROM payments WHERE fee_amount > 0)::text AS with_fee,
             (SELECT count(*) FROM refunds WHERE mode = 'credit_note')::text AS refunds_credit_note,
             (SELECT count(*) FROM refunds WHERE mode = 'reopen_balance')::text AS refunds_reopen,
             (SELECT count(*) FROM credit_notes WHERE disposition = 'reduce_balance')::text AS credit_notes,
             (SELECT count(*) FROM disputes)::text AS disputes,
             (SELECT count(*) FROM patient_credit_balances WHERE balance > 0)::text AS patients_with_credit`);
    for (const [name, value] of Object.entries(counts!)) expect(Number(value), name).toBeGreaterThan(0);
    expect(Number(counts!.decline_codes)).toBeGreaterThanOrEqual(4);
    // Card payments are a realistic share of what came in; declines a realistic share of card attempts.
    const [shares] = await rows<{ card_share: number; decline_share: number }>(`
      SELECT avg((method_type IN ('card', 'us_bank_account'))::int)::float8 AS card_share,
             (SELECT avg((failure_code IS NOT NULL)::int)::float8 FROM payments WHERE method_type = 'card') AS decline_share
      FROM payments WHERE status = 'succeeded'`);
    expect(shares!.card_share).toBeGreaterThan(0.35);
    expect(shares!.card_share).toBeLessThan(0.75);
    expect(shares!.decline_share).toBeGreaterThan(0.05);
    expect(shares!.decline_share).toBeLessThan(0.25);
  });

  it("refuses a database that is not on this machine, and a second run into the same database", async () => {
    const remote = run(process.execPath, ["--import", "tsx", "scripts/seed-large.ts", "--invoices", "100"], {
      env: { ...process.env, DATABASE_URL: "postgresql://postgres@db.example.com:5432/carebill" },
    });
    await expect(remote).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("refuses the non-local database host db.example.com") });
    const again = run(process.execPath, ["--import", "tsx", "scripts/seed-large.ts", "--invoices", "100"], {
      env: { ...process.env, DATABASE_URL: database.ownerUrl },
    });
    await expect(again).rejects.toMatchObject({ stderr: expect.stringContaining("already exists; seed into a fresh database") });
  });
});
