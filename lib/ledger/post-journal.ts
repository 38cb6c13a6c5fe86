import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { sqlOf, type Sql } from "@/lib/db/sql";
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

/** The lines that move money (zero lines dropped), checked: integers, at least two, summing to zero. */
function checkedLines(input: PostJournalInput): JournalLineInput[] {
  const lines = input.lines.filter((line) => line.amount !== 0);
  for (const line of lines) {
    if (!Number.isSafeInteger(line.amount)) throw new UnbalancedJournalError(`non-integer amount ${line.amount}`);
    if (line.account === "patientCredit" && !line.patientId) throw new UnbalancedJournalError("a patient-credit line without its patient");
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
  const sql = sqlOf(tx);
  await sql.write(
    `WITH entries AS (
       INSERT INTO journal_entries (id, organization_id, currency, kind, memo, source_type, source_id, reverses_id, occurred_at, created_at)
       SELECT entry.id, $1::uuid, entry.currency, entry.kind, entry.memo, entry.source_type, entry.source_id, entry.reverses_id,
              COALESCE(entry.occurred_at, clock_timestamp()), clock_timestamp()
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::timestamptz[])
         AS entry(id, currency, kind, memo, source_type, source_id, reverses_id, occurred_at)
     )
     INSERT INTO journal_lines (journal_entry_id, organization_id, account_id, amount, invoice_id, patient_id)
     SELECT line.journal_entry_id, $1::uuid, line.account_id, line.amount, line.invoice_id, line.patient_id
     FROM unnest($10::uuid[], $11::uuid[], $12::int[], $13::uuid[], $14::uuid[]) AS line(journal_entry_id, account_id, amount, invoice_id, patient_id)`,
    [
      organizationId,
      journals.map((journal) => journal.id),
      journals.map((journal) => journal.input.currency),
      journals.map((journal) => journal.input.kind),
      journals.map((journal) => journal.input.memo),
      journals.map((journal) => journal.input.source.type),
      journals.map((journal) => journal.input.source.id),
      journals.map((journal) => journal.input.reversesId ?? null),
      journals.map((journal) => journal.input.occurredAt?.toISOString() ?? null),
      lines.map((line) => line.journalId),
      lines.map((line) => accounts[line.account]),
      lines.map((line) => line.amount),
      lines.map((line) => line.invoiceId ?? null),
      lines.map((line) => line.patientId ?? null),
    ],
  );
  for (const journal of journals) {
    const creditLines = journal.lines.filter((line) => line.account === "patientCredit");
    if (creditLines.length > 0) await movePatientCredit(sql, { organizationId, currency: journal.input.currency, lines: creditLines });
  }
  return journals.map((journal) => ({ id: journal.id }));
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
    },
    select: { id: true },
  });
  // The lines are checked at commit (balanced) and by their foreign keys (accounts of this organization).
  await tx.journalLine.createMany({
    data: original.lines.map((line) => ({
      journalEntryId: entry.id,
      organizationId: original.organizationId,
      accountId: line.accountId,
      amount: -line.amount,
      invoiceId: line.invoiceId,
      patientId: line.patientId,
    })),
  });
  const creditLines = original.lines.filter((line) => line.accountId === accounts.patientCredit && line.patientId);
  await movePatientCredit(tx, {
    organizationId: original.organizationId,
    currency: original.currency,
    lines: creditLines.map((line) => ({ amount: -line.amount, patientId: line.patientId! })),
  });
  return entry;
}
