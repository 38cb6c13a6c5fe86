import type { Tx } from "@/lib/db/client";
import { ensureChartOfAccounts, type AccountKey } from "./accounts";
import { movePatientCredit } from "./patient-credit";

export type JournalLineInput = {
  account: AccountKey;
  /** Minor units: debit positive, credit negative. */
  amount: number;
  invoiceId?: string;
  /** Required on patient-credit lines: whose credit it is. */
  patientId?: string;
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

/**
 * Posts one journal inside the caller's transaction. Lines with a zero amount are dropped; the
 * rest must be integers, at least two, summing to zero (the database checks the same at commit).
 * Returns null when every line was zero (nothing happened in money terms).
 */
export async function postJournal(tx: Tx, input: PostJournalInput): Promise<{ id: string } | null> {
  const lines = input.lines.filter((line) => line.amount !== 0);
  for (const line of lines) {
    if (!Number.isSafeInteger(line.amount)) throw new UnbalancedJournalError(`non-integer amount ${line.amount}`);
    if (line.account === "patientCredit" && !line.patientId) throw new UnbalancedJournalError("a patient-credit line without its patient");
  }
  if (lines.length === 0) return null;
  const sum = lines.reduce((total, line) => total + line.amount, 0);
  if (lines.length < 2 || sum !== 0) throw new UnbalancedJournalError(`${lines.length} lines summing to ${sum}`);

  const accounts = await ensureChartOfAccounts(tx, input.organizationId);
  // One statement for the entry and its lines (the hot paths post a journal or two per request).
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH entry AS (
      INSERT INTO journal_entries (organization_id, currency, kind, memo, source_type, source_id, reverses_id, occurred_at, created_at)
      VALUES (${input.organizationId}::uuid, ${input.currency}, ${input.kind}, ${input.memo}, ${input.source.type}, ${input.source.id}::uuid,
              ${input.reversesId ?? null}::uuid, COALESCE(${input.occurredAt ?? null}::timestamptz, clock_timestamp()), clock_timestamp())
      RETURNING id
    ), inserted AS (
      INSERT INTO journal_lines (journal_entry_id, account_id, amount, invoice_id, patient_id)
      SELECT entry.id, line.account_id, line.amount, line.invoice_id, line.patient_id
      FROM entry, unnest(
        ${lines.map((line) => accounts[line.account])}::uuid[],
        ${lines.map((line) => line.amount)}::int[],
        ${lines.map((line) => line.invoiceId ?? null)}::uuid[],
        ${lines.map((line) => line.patientId ?? null)}::uuid[]
      ) AS line(account_id, amount, invoice_id, patient_id)
    )
    SELECT id FROM entry`;
  const entry = rows[0];
  if (!entry) throw new Error("journal insert returned no row");
  await movePatientCredit(tx, { organizationId: input.organizationId, currency: input.currency, lines: lines.filter((line) => line.account === "patientCredit") });
  return entry;
}

/**
 * Posts the exact opposite of an earlier journal (same accounts, negated amounts), linked to it.
 * A journal can be reversed once (unique constraint on reverses_id).
 */
export async function reverseJournal(
  tx: Tx,
  input: { journalEntryId: string; kind: string; memo: string; occurredAt?: Date },
): Promise<{ id: string }> {
  const original = await tx.journalEntry.findUniqueOrThrow({ where: { id: input.journalEntryId }, include: { lines: true } });
  const accounts = await ensureChartOfAccounts(tx, original.organizationId);
  const entry = await tx.journalEntry.create({
    data: {
      organizationId: original.organizationId,
      currency: original.currency,
      kind: input.kind,
      memo: input.memo,
      sourceType: original.sourceType,
      sourceId: original.sourceId,
      reversesId: original.id,
      occurredAt: input.occurredAt,
      lines: { create: original.lines.map((line) => ({ accountId: line.accountId, amount: -line.amount, invoiceId: line.invoiceId, patientId: line.patientId })) },
    },
    select: { id: true },
  });
  const creditLines = original.lines.filter((line) => line.accountId === accounts.patientCredit && line.patientId);
  await movePatientCredit(tx, {
    organizationId: original.organizationId,
    currency: original.currency,
    lines: creditLines.map((line) => ({ amount: -line.amount, patientId: line.patientId! })),
  });
  return entry;
}
