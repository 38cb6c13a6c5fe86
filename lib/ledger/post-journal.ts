import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { sql, sqlOf, type Sql } from "@/lib/db/sql";
import { ensureChartOfAccounts, type AccountKey } from "./accounts";
import { movePatientCredit } from "@/lib/patient-credit/credit-balances";

export type JournalLineInput = {
  account: AccountKey;
  /** Minor units: debit positive, credit negative. */
  amount: number;
  invoiceId?: string;
  /** Required on patient-credit lines: whose credit it is. */
  patientId?: string;
  /** Required on insurance-receivable lines: the claim the payer owes it on (its `insurance_balance` moves with the line, here). */
  claimId?: string;
};

export type PostJournalInput = {
  organizationId: string;
  currency: string;
  kind: string;
  memo: string;
  source: { type: string; id: string };
  lines: JournalLineInput[];
  reversesId?: string;
  occurredAt?: Date;
};

export class UnbalancedJournalError extends Error {
  constructor(detail: string) {
    super(`Refusing to post an unbalanced journal: ${detail}`);
    this.name = "UnbalancedJournalError";
  }
}

/** The lines that move money (zero lines dropped), checked: integers, at least two, summing to zero. */
function checkedLines(input: PostJournalInput): JournalLineInput[] {
  const lines = input.lines.filter((line) => line.amount !== 0);
  for (const line of lines) {
    if (!Number.isSafeInteger(line.amount)) throw new UnbalancedJournalError(`non-integer amount ${line.amount}`);
    if (line.account === "patientCredit" && !line.patientId) throw new UnbalancedJournalError("a patient-credit line without its patient");
    if (line.account === "arInsurance" && !line.claimId) throw new UnbalancedJournalError("an insurance-receivable line without its claim");
  }
  if (lines.length === 0) return lines;
  const sum = lines.reduce((total, line) => total + line.amount, 0);
  if (lines.length < 2 || sum !== 0) throw new UnbalancedJournalError(`${lines.length} lines summing to ${sum}`);
  return lines;
}

/**
 * Posts one journal inside the caller's transaction. Lines with a zero amount are dropped; the
 * rest must be integers, at least two, summing to zero (the database checks the same at commit).
 * Returns null when every line was zero (nothing happened in money terms).
 */
export async function postJournal(tx: Tx | Sql, input: PostJournalInput): Promise<{ id: string } | null> {
  const [entry] = await postJournals(tx, [input]);
  return entry ?? null;
}

/**
 * Posts several journals of one organization in one statement (the hot paths post two per
 * event): same rules as postJournal; journals whose lines are all zero are skipped. Returns the
 * posted journals' ids, in order, without the skipped ones.
 */
export async function postJournals(tx: Tx | Sql, inputs: PostJournalInput[]): Promise<{ id: string }[]> {
  const journals = inputs.map((input) => ({ input, lines: checkedLines(input), id: randomUUID() })).filter((journal) => journal.lines.length > 0);
  if (journals.length === 0) return [];
  const organizationId = journals[0]!.input.organizationId;
  if (journals.some((journal) => journal.input.organizationId !== organizationId)) throw new Error("postJournals: journals of one organization only");
  const accounts = await ensureChartOfAccounts(tx, organizationId);
  const lines = journals.flatMap((journal) => journal.lines.map((line) => ({ ...line, journalId: journal.id })));
  // Entry ids are made here so that the lines can name them; the lines' foreign key is checked at
  // the end of the statement, when both inserts are done.
  const runner = sqlOf(tx);
  const entry = {
    ids: journals.map((journal) => journal.id),
    currencies: journals.map((journal) => journal.input.currency),
    kinds: journals.map((journal) => journal.input.kind),
    memos: journals.map((journal) => journal.input.memo),
    sourceTypes: journals.map((journal) => journal.input.source.type),
    sourceIds: journals.map((journal) => journal.input.source.id),
    reversesIds: journals.map((journal) => journal.input.reversesId ?? null),
    occurredAts: journals.map((journal) => journal.input.occurredAt?.toISOString() ?? null),
  };
  const line = {
    entryIds: lines.map((item) => item.journalId),
    accountIds: lines.map((item) => accounts[item.account]),
    amounts: lines.map((item) => item.amount),
    invoiceIds: lines.map((item) => item.invoiceId ?? null),
    patientIds: lines.map((item) => item.patientId ?? null),
    claimIds: lines.map((item) => item.claimId ?? null),
  };
  await runner.write(sql`
    WITH entries AS (
      INSERT INTO journal_entries (id, organization_id, currency, kind, memo, source_type, source_id, reverses_id, occurred_at, created_at)
      SELECT entry.id, ${organizationId}::uuid, entry.currency, entry.kind, entry.memo, entry.source_type, entry.source_id, entry.reverses_id,
             COALESCE(entry.occurred_at, clock_timestamp()), clock_timestamp()
      FROM unnest(${entry.ids}::uuid[], ${entry.currencies}::text[], ${entry.kinds}::text[], ${entry.memos}::text[], ${entry.sourceTypes}::text[],
                  ${entry.sourceIds}::uuid[], ${entry.reversesIds}::uuid[], ${entry.occurredAts}::timestamptz[])
        AS entry(id, currency, kind, memo, source_type, source_id, reverses_id, occurred_at)
    )
    INSERT INTO journal_lines (journal_entry_id, organization_id, account_id, amount, invoice_id, patient_id, claim_id)
    SELECT line.journal_entry_id, ${organizationId}::uuid, line.account_id, line.amount, line.invoice_id, line.patient_id, line.claim_id
    FROM unnest(${line.entryIds}::uuid[], ${line.accountIds}::uuid[], ${line.amounts}::int[], ${line.invoiceIds}::uuid[], ${line.patientIds}::uuid[],
                ${line.claimIds}::uuid[])
      AS line(journal_entry_id, account_id, amount, invoice_id, patient_id, claim_id)`);
  for (const journal of journals) {
    const creditLines = journal.lines.filter((line) => line.account === "patientCredit");
    if (creditLines.length > 0) await movePatientCredit(runner, { organizationId, currency: journal.input.currency, lines: creditLines });
  }
  await moveClaimBalances(
    runner,
    organizationId,
    lines.filter((item) => item.account === "arInsurance").map((item) => ({ claimId: item.claimId!, amount: item.amount })),
  );
  return journals.map((journal) => ({ id: journal.id }));
}

/**
 * A claim's `insurance_balance` is its insurance-receivable lines' sum: every journal that posts
 * such lines moves it in the same transaction (postJournals, reverseJournal), so no caller can
 * forget it; checkLedger's `claimMismatches` checks it.
 */
async function moveClaimBalances(runner: Sql, organizationId: string, lines: { claimId: string; amount: number }[]): Promise<void> {
  const byClaim = new Map<string, number>();
  for (const line of lines) byClaim.set(line.claimId, (byClaim.get(line.claimId) ?? 0) + line.amount);
  const moves = [...byClaim].filter(([, amount]) => amount !== 0);
  if (moves.length === 0) return;
  await runner.write(sql`
    UPDATE claims c SET insurance_balance = c.insurance_balance + m.amount
    FROM unnest(${moves.map(([id]) => id)}::uuid[], ${moves.map(([, amount]) => amount)}::int[]) AS m(id, amount)
    WHERE c.id = m.id AND c.organization_id = ${organizationId}::uuid`);
}

/**
 * Posts the exact opposite of an earlier journal (same accounts, negated amounts), linked to it.
 * Patient credit and claims' insurance balances move with it; an invoice's balance is the caller's to change.
 * A journal can be reversed once (unique constraint on reverses_id). `moveClaim`: the
 * insurance-receivable lines of claim `from` are reversed onto claim `to` instead (a payer reversing
 * a payment of a claim whose balance a correction took over: docs/remittances.md, "Posting").
 */
export async function reverseJournal(
  tx: Tx | Sql,
  input: { journalEntryId: string; kind: string; memo: string; occurredAt?: Date; moveClaim?: { from: string; to: string } },
): Promise<{ id: string }> {
  const runner = sqlOf(tx);
  const [original] = await runner.query<{
    organizationId: string;
    currency: string;
    creditLines: { accountId: string; amount: number; patientId: string | null }[];
    claimLines: { accountId: string; amount: number; claimId: string }[];
  }>(sql`
    SELECT e.organization_id::text AS "organizationId", e.currency,
           coalesce((SELECT json_agg(json_build_object('accountId', l.account_id, 'amount', l.amount, 'patientId', l.patient_id))
                     FROM journal_lines l WHERE l.journal_entry_id = e.id AND l.patient_id IS NOT NULL), '[]'::json) AS "creditLines",
           coalesce((SELECT json_agg(json_build_object('accountId', l.account_id, 'amount', l.amount, 'claimId', l.claim_id))
                     FROM journal_lines l WHERE l.journal_entry_id = e.id AND l.claim_id IS NOT NULL), '[]'::json) AS "claimLines"
    FROM journal_entries e WHERE e.id = ${input.journalEntryId}::uuid`);
  if (!original) throw new Error(`reverseJournal: no journal ${input.journalEntryId}`);
  const accounts = await ensureChartOfAccounts(runner, original.organizationId);
  const id = randomUUID();
  // The lines are checked at commit (balanced) and by their foreign keys (accounts of this organization).
  await runner.write(sql`
    WITH entry AS (
      INSERT INTO journal_entries (id, organization_id, currency, kind, memo, source_type, source_id, reverses_id, occurred_at, created_at)
      SELECT ${id}::uuid, organization_id, currency, ${input.kind}, ${input.memo}, source_type, source_id, id,
             COALESCE(${input.occurredAt?.toISOString() ?? null}::timestamptz, clock_timestamp()), clock_timestamp()
      FROM journal_entries WHERE id = ${input.journalEntryId}::uuid
    )
    INSERT INTO journal_lines (journal_entry_id, organization_id, account_id, amount, invoice_id, patient_id, claim_id)
    SELECT ${id}::uuid, organization_id, account_id, -amount, invoice_id, patient_id,
           CASE WHEN claim_id = ${input.moveClaim?.from ?? null}::uuid THEN ${input.moveClaim?.to ?? null}::uuid ELSE claim_id END
    FROM journal_lines WHERE journal_entry_id = ${input.journalEntryId}::uuid`);
  const creditLines = original.creditLines.filter((line) => line.accountId === accounts.patientCredit);
  await movePatientCredit(runner, {
    organizationId: original.organizationId,
    currency: original.currency,
    lines: creditLines.map((line) => ({ amount: -line.amount, patientId: line.patientId! })),
  });
  await moveClaimBalances(
    runner,
    original.organizationId,
    original.claimLines
      .filter((line) => line.accountId === accounts.arInsurance)
      .map((line) => ({ claimId: line.claimId === input.moveClaim?.from ? input.moveClaim.to : line.claimId, amount: -line.amount })),
  );
  return { id };
}
