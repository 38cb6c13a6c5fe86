import type { Tx } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { postJournals, type PostJournalInput } from "@/lib/ledger/post-journal";
import { formatMoney } from "@/lib/money/currency";
import { formatClaimNumber } from "./claim-number";

/**
 * A claim as a receivable (docs/remittances.md, "Money model"). This module charges claims to
 * the insurance receivable when they are submitted (account 1110, every line naming its claim) and
 * is the one writer of `claims.charged_total` (the total the ledger has charged for it).
 * `claims.insurance_balance` moves with the receivable's lines wherever they are posted
 * (lib/ledger/post-journal.ts); checkLedger checks that each claim's balance equals its lines.
 *
 * Everything happens when claims are submitted (createClaimBatch), claim by claim:
 * - an original (frequency 1) submitted for the first time: `claim.charged`, its total charged to
 *   the payer (Dr insurance receivable / Cr revenue);
 * - an original submitted again (rejected, edited, validated) with another total:
 *   `claim.charge_adjusted`, the difference from what was charged (same accounts);
 * - a corrected claim (frequency 7): `claim.replaced` moves what is still open on the claim it
 *   replaces onto it, and `claim.charge_adjusted` charges the difference between its total and what
 *   was charged for the claim it replaces (for its first submission) or for itself (after that);
 * - a void (frequency 8): `claim.voided` takes what is still open on the claim it voids off the
 *   receivable (Dr revenue / Cr insurance receivable).
 * Sending a claim again posts only what changed, so a rejected correction or void that is sent
 * again posts nothing more unless its total (or the original's open balance) changed.
 *
 * A secondary claim (prior_claim_id set) is never charged: see post-secondary-payment.ts.
 *
 * Not here: a rejection posts nothing (the claim stays charged while staff fix it), and closing a
 * claim that still has a balance posts nothing either: the denial work queue will write it off
 * (insuranceWriteOffs). Payments and adjustments come with remittance posting. One exception,
 * returnClosedCorrectionBalance: a correction closed before the payer ever accepted it gives back
 * what it took over and what it charged.
 */

type ClaimMoney = {
  id: string;
  number: number;
  frequency_code: string;
  total_charge: number;
  charged_total: number | null;
  insurance_balance: number;
  replaces_claim_id: string | null;
  prior_claim_id: string | null;
};

/**
 * Posts the receivable journals of claims being submitted, in the caller's transaction (the one
 * that moves them to submitted), and updates their balances and those of the claims they replace.
 * Locks the claims and the claims they replace (FOR UPDATE, in id order; the caller may hold the
 * locks already).
 */
export async function chargeSubmittedClaims(tx: Tx, options: { organizationId: string; claimIds: string[]; now: Date }): Promise<void> {
  const { organizationId, now } = options;
  const runner = sqlOf(tx);
  const rows = await runner.query<ClaimMoney>(sql`
    SELECT id::text AS id, number, frequency_code, total_charge, charged_total, insurance_balance, replaces_claim_id::text AS replaces_claim_id,
           prior_claim_id::text AS prior_claim_id
    FROM claims
    WHERE organization_id = ${organizationId}::uuid
      AND (id = ANY(${options.claimIds}::uuid[])
           OR id IN (SELECT replaces_claim_id FROM claims WHERE organization_id = ${organizationId}::uuid AND id = ANY(${options.claimIds}::uuid[])))
    ORDER BY id
    FOR UPDATE`);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const [organization] = await runner.query<{ currency: string }>(sql`SELECT currency FROM organizations WHERE id = ${organizationId}::uuid`);
  const currency = organization!.currency;

  const journals: PostJournalInput[] = [];
  /** New charged totals by claim id. */
  const chargedTotals = new Map<string, number>();
  const base = { organizationId, currency, occurredAt: now };

  for (const claimId of options.claimIds) {
    const claim = byId.get(claimId);
    if (!claim) throw new Error(`chargeSubmittedClaims: no claim ${claimId} in organization ${organizationId}`);
    // A secondary (or tertiary) claim bills the patient's share of the primary's, which is already
    // on the patient's invoice: its charge is not revenue again, and it is not charged
    // (lib/remittances/post-secondary-payment.ts moves what it pays off that invoice).
    if (claim.prior_claim_id !== null) continue;
    const number = formatClaimNumber(claim.number);
    const source = { type: "claim", id: claim.id };
    const original = claim.replaces_claim_id ? byId.get(claim.replaces_claim_id) : undefined;
    if (claim.frequency_code !== "1" && !original) throw new Error(`chargeSubmittedClaims: ${number} (frequency ${claim.frequency_code}) replaces no claim`);

    if (claim.frequency_code === "8") {
      const open = original!.insurance_balance;
      journals.push({
        ...base,
        kind: "claim.voided",
        memo: `${number} voids ${formatClaimNumber(original!.number)}: what the payer still owed on it is taken off`,
        source,
        lines: [
          { account: "revenue", amount: open },
          { account: "arInsurance", amount: -open, claimId: original!.id },
        ],
      });
      continue;
    }

    if (claim.frequency_code === "7") {
      const open = original!.insurance_balance;
      journals.push({
        ...base,
        kind: "claim.replaced",
        memo: `${number} corrects ${formatClaimNumber(original!.number)}: what the payer still owed moves to the corrected claim`,
        source,
        lines: [
          { account: "arInsurance", amount: open, claimId: claim.id },
          { account: "arInsurance", amount: -open, claimId: original!.id },
        ],
      });
    }

    // What the ledger has charged so far: for a correction's first submission, the original's
    // charge (it replaces it); a claim sent before claims were charged in the ledger counts as 0.
    const charged = claim.charged_total ?? (original ? (original.charged_total ?? 0) : null);
    if (charged === null) {
      journals.push({
        ...base,
        kind: "claim.charged",
        memo: `${number} submitted: its total charge is owed by the payer`,
        source,
        lines: [
          { account: "arInsurance", amount: claim.total_charge, claimId: claim.id },
          { account: "revenue", amount: -claim.total_charge },
        ],
      });
    } else {
      const difference = claim.total_charge - charged;
      journals.push({
        ...base,
        kind: "claim.charge_adjusted",
        memo: `${number} submitted with a total charge of ${formatMoney(claim.total_charge, currency)} instead of ${formatMoney(charged, currency)}`,
        source,
        lines: [
          { account: "arInsurance", amount: difference, claimId: claim.id },
          { account: "revenue", amount: -difference },
        ],
      });
    }
    chargedTotals.set(claim.id, claim.total_charge);
  }

  // Journals whose lines are all zero (nothing open to move, the same total) are skipped; the
  // claims' balances move with their lines (postJournals).
  await postJournals(tx, journals);
  const updates = [...chargedTotals];
  if (updates.length === 0) return;
  await runner.write(sql`
    UPDATE claims c SET charged_total = u.charged_total
    FROM unnest(${updates.map(([id]) => id)}::uuid[], ${updates.map(([, total]) => total)}::int[]) AS u(id, charged_total)
    WHERE c.id = u.id AND c.organization_id = ${organizationId}::uuid`);
}

/** What a posting changes in a claim's adjudication totals (minor units; negative for a reversal). */
export type ClaimAdjudicationChange = { paid?: number; contractual?: number; patient?: number; writtenOff?: number };

/**
 * Adds to a claim's adjudication totals (`insurance_paid`, `contractual_adjusted`,
 * `patient_responsibility`, `written_off`), in the caller's transaction, with the journals that
 * move the same amounts (remittance posting, denial write-offs). The totals explain the balance:
 * charged − paid − contractual − patient − written off = what the payer still owes.
 */
export async function recordClaimAdjudication(tx: Tx, options: { organizationId: string; claimId: string; change: ClaimAdjudicationChange }): Promise<void> {
  const { paid = 0, contractual = 0, patient = 0, writtenOff = 0 } = options.change;
  if (paid === 0 && contractual === 0 && patient === 0 && writtenOff === 0) return;
  await sqlOf(tx).write(sql`
    UPDATE claims
    SET insurance_paid = insurance_paid + ${paid}::int, contractual_adjusted = contractual_adjusted + ${contractual}::int,
        patient_responsibility = patient_responsibility + ${patient}::int, written_off = written_off + ${writtenOff}::int
    WHERE id = ${options.claimId}::uuid AND organization_id = ${options.organizationId}::uuid`);
}

/**
 * A corrected claim (frequency 7) closed without the payer ever accepting it (rejected, then closed):
 * in the caller's transaction (the one that closes it), what it took over from the claim it corrects
 * moves back there (`claim.replaced` the opposite way: Dr insurance receivable (original) / Cr
 * insurance receivable (correction)), and what it charged beyond the original's charge is taken back
 * (`claim.charge_adjusted` of the opposite difference). The original then owes what it owed before
 * the correction, so a second correction moves it again and charges only its own difference. Does
 * nothing for other claims, or a correction never sent (it took over nothing) or once accepted (the
 * payer adjudicates it: its balance is its own). Returns what moved back.
 */
export async function returnClosedCorrectionBalance(
  tx: Tx,
  options: { organizationId: string; claimId: string; now: Date },
): Promise<{ originalId: string; movedBack: number; unCharged: number } | null> {
  const { organizationId, claimId, now } = options;
  const runner = sqlOf(tx);
  const [claim] = await runner.query<ClaimMoney>(sql`
    SELECT id::text AS id, number, frequency_code, total_charge, charged_total, insurance_balance, replaces_claim_id::text AS replaces_claim_id,
           prior_claim_id::text AS prior_claim_id
    FROM claims WHERE id = ${claimId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`);
  if (!claim || claim.frequency_code !== "7" || claim.replaces_claim_id === null || claim.prior_claim_id !== null || claim.charged_total === null) return null;
  const [accepted] = await runner.query<{ id: string }>(sql`
    SELECT id::text AS id FROM claim_events
    WHERE claim_id = ${claimId}::uuid AND organization_id = ${organizationId}::uuid AND to_status IN ('accepted', 'paid', 'partially_paid', 'denied')
    LIMIT 1`);
  if (accepted) return null;
  const [original] = await runner.query<{ id: string; number: number; charged_total: number | null }>(sql`
    SELECT id::text AS id, number, charged_total FROM claims
    WHERE id = ${claim.replaces_claim_id}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`);
  if (!original) throw new Error(`returnClosedCorrectionBalance: ${claimId} replaces no claim of organization ${organizationId}`);
  const [organization] = await runner.query<{ currency: string }>(sql`SELECT currency FROM organizations WHERE id = ${organizationId}::uuid`);
  const currency = organization!.currency;
  const number = formatClaimNumber(claim.number);
  const originalNumber = formatClaimNumber(original.number);
  const unCharged = claim.charged_total - (original.charged_total ?? 0);
  const movedBack = claim.insurance_balance - unCharged;
  const base = { organizationId, currency, occurredAt: now, source: { type: "claim", id: claim.id } };
  await postJournals(tx, [
    {
      ...base,
      kind: "claim.charge_adjusted",
      memo: `${number} closed before the payer accepted it: the ${formatMoney(unCharged, currency)} it charged beyond ${originalNumber} is taken back`,
      lines: [
        { account: "arInsurance", amount: -unCharged, claimId: claim.id },
        { account: "revenue", amount: unCharged },
      ],
    },
    {
      ...base,
      kind: "claim.replaced",
      memo: `${number} closed before the payer accepted it: what it took over from ${originalNumber} moves back`,
      lines: [
        { account: "arInsurance", amount: movedBack, claimId: original.id },
        { account: "arInsurance", amount: -movedBack, claimId: claim.id },
      ],
    },
  ]);
  return { originalId: original.id, movedBack, unCharged };
}
