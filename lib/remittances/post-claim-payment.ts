import type { AuditActor } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { formatClaimNumber } from "@/lib/claims/claim-number";
import { recordClaimAdjudication } from "@/lib/claims/claim-receivable";
import { createSecondaryClaim } from "@/lib/claims/secondary-claim";
import { CLAIM_STATUS_LABELS, recordClaimEvent, transitionClaim } from "@/lib/claims/transition-claim";
import type { Tx } from "@/lib/db/client";
import type { ClaimStatus } from "@/lib/db/generated/client";
import { lockInvoice } from "@/lib/db/locks";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { appendCoverageRevision, lockCoverage } from "@/lib/insurance/coverage-records";
import { changeInvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import { createInvoiceIn } from "@/lib/invoices/create-invoice";
import { toIsoDate } from "@/lib/invoices/dates";
import { finalizeInvoiceIn } from "@/lib/invoices/finalize-invoice";
import { postJournal, reverseJournal } from "@/lib/ledger/post-journal";
import { formatMoney } from "@/lib/money/currency";
import { describeCarc } from "@/lib/x12/remittance-codes";
import { IN_FLIGHT_STATUSES } from "@/lib/payments/payment-status";
import { listStandingCreditApplications, unapplyCreditInTransaction } from "@/lib/patient-credit/unapply-patient-credit";
import { postSecondaryPayment, reverseSecondaryPayment } from "./post-secondary-payment";

/**
 * Posting one claim payment (one CLP of a stored 835) to its claim, in the caller's transaction:
 * everything or nothing (docs/remittances.md, "Posting").
 *
 * - The insurer's payment and the contractual adjustments (CO, PI, OA, CR) leave the claim's
 *   insurance receivable: `remittance.claim_paid`, Dr insurance clearing (paid) and contractual
 *   adjustments / Cr insurance receivable (claim).
 * - What the payer denied (a line paid nothing with nothing owed by the patient, or a whole claim
 *   with CLP02 4) stays open on the claim: the denial queue works it (correct and resubmit, appeal,
 *   write off, bill the patient where the reason allows).
 * - The patient's responsibility (PR) becomes an invoice with a line per service line and reason
 *   ("Deductible — office visit 99213 on 2026-11-02"), finalized with its total moved from the
 *   claim's insurance receivable to the patient's receivable (finalizeInvoiceIn,
 *   `patientShareOfClaimId`).
 * - The claim's totals, its status (paid, partially paid, denied: transitionClaim) and the
 *   coverage's deductible and out-of-pocket met for the plan year move with it.
 * - A reversal (CLP02 = 22) takes back the posted payment it reverses: its journals reversed, its
 *   patient-share invoice voided, the totals and accumulators given back.
 * - The same claim payment posted before is a duplicate: nothing posted.
 *
 * A payment that cannot be posted as it stands is refused with an AppError in words; the caller
 * (post-remittance.ts) holds it with that reason, and nothing of it is written.
 */

export type PostedClaimPayment = {
  outcome: "posted" | "reversed" | "duplicate";
  claimId: string;
  message: string;
  patientShareInvoiceId: string | null;
};

export type Adjustment = { groupCode: string; reasonCode: string; amount: number; remittanceLineId: string | null };

/** PR-1, PR-2, PR-3 in the words of a patient's statement; other reasons by their CARC ("Non-covered charge(s) (OA-96)"). */
export function patientShareReason(groupCode: string, reasonCode: string): string {
  if (groupCode === "PR" && reasonCode === "1") return "Deductible";
  if (groupCode === "PR" && reasonCode === "2") return "Coinsurance";
  if (groupCode === "PR" && reasonCode === "3") return "Co-pay";
  return `${describeCarc(reasonCode).replace(/\.$/, "")} (${groupCode}-${reasonCode})`;
}

/**
 * A service's description as it reads after "Deductible — ": the first letter lowercased when the
 * first word is an ordinary capitalised word ("Office visit" → "office visit", "X-ray" → "x-ray"),
 * otherwise kept as written, so acronyms and codes stay readable ("MRI brain", "HbA1c", "B12
 * injection", "COVID-19 test"); the rest of the description is never changed ("Hemoglobin A1c" →
 * "hemoglobin A1c"). An empty description reads "service".
 */
export function serviceInSentence(description: string): string {
  const text = description.trim();
  if (text === "") return "service";
  const firstWord = text.split(/\s/, 1)[0]!;
  const keepsCase = /[\p{Lu}\p{N}]/u.test(firstWord.slice(1));
  return keepsCase ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

const CONTRACTUAL_GROUPS = new Set(["CO", "PI", "OA", "CR"]);
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

export async function postClaimPayment(
  tx: Tx,
  options: { organizationId: string; remittanceClaimId: string; actor: AuditActor; now: Date },
): Promise<PostedClaimPayment> {
  const { organizationId, actor, now } = options;
  const runner = sqlOf(tx);
  const [locked] = await runner.query<{ status: string }>(
    sql`SELECT status FROM remittance_claims WHERE id = ${options.remittanceClaimId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`,
  );
  if (!locked) throw new AppError("NOT_FOUND", "Claim payment not found.");
  if (locked.status !== "matched") throw new AppError("CONFLICT", `This claim payment is ${locked.status}; only a matched one is posted.`);

  const payment = await tx.remittanceClaim.findUniqueOrThrow({
    where: { id: options.remittanceClaimId },
    include: {
      remittance: {
        select: {
          id: true,
          status: true,
          payerId: true,
          payerName: true,
          payerIdentifier: true,
          traceOriginatorId: true,
          traceNumber: true,
          clearinghouseFileId: true,
        },
      },
      adjustments: { orderBy: { position: "asc" }, select: { groupCode: true, reasonCode: true, amount: true, remittanceLineId: true } },
      lines: {
        orderBy: { position: "asc" },
        select: { id: true, claimLineId: true, procedureCode: true, modifiers: true, chargeAmount: true, paidAmount: true, serviceDate: true },
      },
    },
  });
  if (payment.remittance.status === "needs_review")
    throw new AppError("CONFLICT", "This payment does not add up (see its problems): nothing from it is posted.");
  if (!payment.remittance.payerId) {
    throw new AppError(
      "CONFLICT",
      `${payment.remittance.payerName} is not one of this clinic's payers (no payer has the id ${payment.remittance.payerIdentifier ?? payment.remittance.traceOriginatorId}). Add it in Settings → Payers, then post this payment again.`,
    );
  }
  if (!payment.claimId) throw new AppError("CONFLICT", "This claim payment is not matched to a claim.");
  const claimId = payment.claimId;

  const [claim] = await runner.query<{
    status: ClaimStatus;
    insurance_balance: number;
    number: number;
    prior_claim_id: string | null;
    replaces_claim_id: string | null;
    insurance_paid: number;
    payer_claim_number: string | null;
  }>(
    sql`SELECT status, insurance_balance, number, prior_claim_id::text AS prior_claim_id, replaces_claim_id::text AS replaces_claim_id,
               insurance_paid, payer_claim_number
        FROM claims WHERE id = ${claimId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`,
  );
  if (!claim) throw new AppError("NOT_FOUND", "Claim not found.");
  const number = formatClaimNumber(claim.number);
  const [organization] = await runner.query<{ currency: string }>(sql`SELECT currency FROM organizations WHERE id = ${organizationId}::uuid`);
  const currency = organization!.currency;
  const money = (cents: number) => formatMoney(cents, currency);

  const finish = async (status: "posted" | "duplicate", extra: { relatedClaimPaymentId?: string; patientShareInvoiceId?: string | null }) => {
    await tx.remittanceClaim.update({
      where: { id: payment.id },
      data: {
        status,
        postedAt: status === "posted" ? now : null,
        heldReason: null,
        relatedClaimPaymentId: extra.relatedClaimPaymentId ?? null,
        patientShareInvoiceId: extra.patientShareInvoiceId ?? null,
      },
    });
  };

  // The same claim payment posted before (the same CLP in another payment's file): nothing more.
  const earlier = await tx.remittanceClaim.findFirst({
    where: {
      organizationId,
      claimId,
      status: "posted",
      id: { not: payment.id },
      statusCode: payment.statusCode,
      payerClaimControlNumber: payment.payerClaimControlNumber,
      chargeAmount: payment.chargeAmount,
      paidAmount: payment.paidAmount,
      patientResponsibility: payment.patientResponsibility,
    },
    select: { id: true, remittance: { select: { traceNumber: true } } },
  });
  if (earlier) {
    await finish("duplicate", { relatedClaimPaymentId: earlier.id });
    return {
      outcome: "duplicate",
      claimId,
      patientShareInvoiceId: null,
      message: `${number}: this claim payment was posted before (payment ${earlier.remittance.traceNumber}); nothing was posted again.`,
    };
  }

  const priorClaimId = claim.prior_claim_id;
  if (payment.statusCode === "22") return reverse();

  if (claim.status === "closed")
    throw new AppError("CONFLICT", `${number} is closed: a payment for it is not posted. Reopen the matter with the payer, or match it by hand.`);
  const patientAdjustments = payment.adjustments.filter((adjustment) => adjustment.groupCode === "PR");
  if (patientAdjustments.some((adjustment) => adjustment.amount < 0)) {
    throw new AppError("CONFLICT", `${number}: the payer gives a negative patient responsibility outside a reversal; check it with the payer before posting.`);
  }
  const unknownGroups = payment.adjustments.filter((adjustment) => adjustment.groupCode !== "PR" && !CONTRACTUAL_GROUPS.has(adjustment.groupCode));
  if (unknownGroups.length > 0)
    throw new AppError("CONFLICT", `${number}: adjustment group ${unknownGroups[0]!.groupCode} is not one Carebill knows how to post.`);
  if (!priorClaimId) {
    // Sent as the patient's primary claim, but the payer takes off what another payer adjudicated
    // (OA-23): writing that off as contractual would lose it. Staff check the coverages (the payer may
    // know of a primary insurer Carebill does not), then post again or match it elsewhere. A CLP02 of
    // 2 alone is posted: some payers (Medicaid) answer so with nothing taken off for another payer.
    const priorPayers = payment.adjustments.filter(isPriorPayersAdjudication);
    if (priorPayers.length > 0) {
      const asLaterPayer = LATER_PAYER_STATUS[payment.statusCode];
      throw new AppError(
        "CONFLICT",
        `${number}: the payer takes off ${money(sum(priorPayers.map((adjustment) => adjustment.amount)))} as another payer's adjudication (OA-23)${asLaterPayer ? `, processed as ${asLaterPayer} (CLP02 ${payment.statusCode})` : ""}, but Carebill sent it as the patient's primary claim. Check the patient's coverages with the payer (it may know of another insurer that pays first), then post again.`,
      );
    }
  }
  const { contractual, patient, denied } = adjudicationOf(payment);
  const settled = payment.paidAmount + contractual + denied + patient;
  if (!priorClaimId && settled > claim.insurance_balance) {
    throw new AppError(
      "CONFLICT",
      `${number}: this payment accounts for ${money(settled)} (paid ${money(payment.paidAmount)}, adjusted ${money(contractual + denied)}, the patient's share ${money(patient)}), more than the ${money(claim.insurance_balance)} the payer still owes on the claim.`,
    );
  }

  let patientShareInvoiceId: string | null = null;
  let secondaryWords = "";
  // What the clinic writes off: a secondary's own adjustments carry the prior payers' adjudication
  // (OA-23…), which was posted with the primary's payment; only what postSecondaryPayment writes off counts.
  let contractualPosted = contractual;
  if (priorClaimId) {
    // A secondary payer: what it settles comes off the patient's share invoices of the prior claim.
    const applied = await postSecondaryPayment(tx, { organizationId, claimId, priorClaimId, number, currency, payment, patient, actor, now });
    await recordClaimAdjudication(tx, { organizationId, claimId, change: { paid: payment.paidAmount, contractual: applied.written, patient } });
    contractualPosted = applied.written;
    secondaryWords =
      applied.reduction > 0
        ? `; ${money(applied.reduction)} off the patient's share of the primary claim (${applied.creditNotes.join(", ")})`
        : "; nothing off the patient's share of the primary claim";
  } else {
    await postJournal(tx, {
      organizationId,
      currency,
      kind: "remittance.claim_paid",
      memo: `${number} paid by ${payment.remittance.payerName} (payment ${payment.remittance.traceNumber}): paid ${money(payment.paidAmount)}, contractual ${money(contractual)}`,
      source: { type: "remittance_claim", id: payment.id },
      occurredAt: now,
      lines: [
        { account: "insuranceClearing", amount: payment.paidAmount },
        { account: "contractualAdjustments", amount: contractual },
        { account: "arInsurance", amount: -(payment.paidAmount + contractual), claimId },
      ],
    });
    patientShareInvoiceId = patient > 0 ? await billPatientShare(tx, { organizationId, claimId, number, payment, patientAdjustments, actor, now }) : null;
    await recordClaimAdjudication(tx, { organizationId, claimId, change: { paid: payment.paidAmount, contractual, patient } });
  }
  await applyAccumulators(tx, { organizationId, claimId, adjustments: patientAdjustments, sign: 1, actor });

  // What earlier remittances paid on the claim (read with its lock, before this posting).
  const target = claimStatusAfter(payment, claim.insurance_paid, priorClaimId !== null);
  const words =
    `${payment.remittance.payerName} paid ${money(payment.paidAmount)}, contractual adjustments ${money(contractualPosted)}` +
    (priorClaimId && contractual + denied > contractualPosted
      ? ` (of its ${money(contractual + denied)} adjusted, the rest is the prior payers' adjudication)`
      : "") +
    `, the patient's share ${money(patient)}` +
    (denied > 0 && !priorClaimId ? `, denied ${money(denied)} (left open on the claim for the denial queue)` : "") +
    ` (payment ${payment.remittance.traceNumber})` +
    secondaryWords;
  const event = { organizationId, claimId, kind: "remittance_posted", actor, message: words, fileId: payment.remittance.clearinghouseFileId, now };
  // The payer's claim number (CLP07) when no 277CA gave one: a corrected claim names it (REF*F8).
  const payerClaimNumberToKeep = claim.payer_claim_number === null ? payment.payerClaimControlNumber : null;
  let status: ClaimStatus = claim.status;
  if (status === "submitted" || status === "rejected") {
    // An 835 says the payer took the claim in, whatever the acknowledgments said before.
    await transitionClaim(tx, {
      ...event,
      to: "accepted",
      kind: "accepted_by_remittance",
      message: "The payer's remittance shows the claim was accepted.",
      payerClaimNumber: payerClaimNumberToKeep ?? undefined,
    });
    status = "accepted";
  }
  if (status === target) await recordClaimEvent(tx, { ...event, status });
  else await transitionClaim(tx, { ...event, to: target, payerClaimNumber: payerClaimNumberToKeep ?? undefined });

  await finish("posted", { patientShareInvoiceId });
  // After the primary's (or secondary's) payment, the next payer's claim when the patient has one.
  // A refusal there (a checked rule, before any write of it) does not hold the payment; the summary
  // (the import's) says why the next claim is missing.
  let nextWords = "";
  try {
    const next = await createSecondaryClaim(tx, { organizationId, priorClaimId: claimId, actor, now });
    if (next.claimId) nextWords = ` ${next.message}`;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    nextWords = ` The next payer's claim was not created: ${error.message}`;
  }
  await recordAuditEvent(tx, {
    organizationId,
    actor,
    action: "remittance.claim_payment_posted",
    target: { type: "claim", id: claimId },
    after: { remittanceClaimId: payment.id, paid: payment.paidAmount, contractual: contractualPosted, patient, denied, patientShareInvoiceId, status: target },
  });
  return {
    outcome: "posted",
    claimId,
    patientShareInvoiceId,
    message: `${number}: posted. ${words}; the claim is ${CLAIM_STATUS_LABELS[target].toLowerCase()}.${nextWords}`,
  };

  /** CLP02 = 22: the posted payment with the opposite amounts, taken back. */
  async function reverse(): Promise<PostedClaimPayment> {
    const original = await tx.remittanceClaim.findFirst({
      where: {
        organizationId,
        claimId,
        status: "posted",
        statusCode: { not: "22" },
        chargeAmount: -payment.chargeAmount,
        paidAmount: -payment.paidAmount,
        ...(payment.patientResponsibility !== null ? { patientResponsibility: -payment.patientResponsibility } : {}),
      },
      orderBy: { postedAt: "desc" },
      include: {
        adjustments: { select: { groupCode: true, reasonCode: true, amount: true, remittanceLineId: true } },
        lines: { select: { id: true, chargeAmount: true, paidAmount: true } },
        remittance: { select: { traceNumber: true } },
      },
    });
    if (!original) {
      throw new AppError(
        "CONFLICT",
        `${number}: this reversal (paid ${money(payment.paidAmount)}) matches no posted payment of the claim with the opposite amounts; nothing was reversed.`,
      );
    }
    // What the payer owes again goes where the claim's balance now sits: the live correction that
    // took it over, else the claim itself.
    const owedOn = await liveReplacementOf(claimId);
    const moveClaim = owedOn ? { from: claimId, to: owedOn.id } : undefined;
    const creditTakenBack = original.patientShareInvoiceId ? await voidPatientShare(original.patientShareInvoiceId, moveClaim) : 0;
    // A secondary payer's payment came off the primary's share invoices: it goes back on them.
    const secondary = priorClaimId
      ? await reverseSecondaryPayment(tx, {
          organizationId,
          originalId: original.id,
          number,
          currency,
          memo: `${number}: ${payment.remittance.payerName} reversed its payment ${original.remittance.traceNumber} as secondary payer (payment ${payment.remittance.traceNumber})`,
          actor,
          now,
        })
      : null;
    const journals = await tx.journalEntry.findMany({
      where: { organizationId, sourceType: "remittance_claim", sourceId: original.id, kind: "remittance.claim_paid", reversedBy: null },
      select: { id: true },
    });
    for (const journal of journals) {
      await reverseJournal(tx, {
        journalEntryId: journal.id,
        kind: "remittance.claim_payment_reversed",
        memo: `${number}: ${payment.remittance.payerName} reversed payment ${original.remittance.traceNumber} (payment ${payment.remittance.traceNumber})${owedOn ? `, owed again on ${owedOn.number}, which corrects it` : ""}`,
        occurredAt: now,
        moveClaim,
      });
    }
    const originalPatient = original.adjustments.filter((adjustment) => adjustment.groupCode === "PR");
    const undone = adjudicationOf(original);
    await recordClaimAdjudication(tx, {
      organizationId,
      claimId,
      change: { paid: -original.paidAmount, contractual: -(secondary ? secondary.written : undone.contractual), patient: -undone.patient },
    });
    await applyAccumulators(tx, { organizationId, claimId, adjustments: originalPatient, sign: -1, actor });
    await tx.remittanceClaim.update({ where: { id: original.id }, data: { status: "reversed", relatedClaimPaymentId: payment.id } });
    await finish("posted", { relatedClaimPaymentId: original.id });
    const shareWords = original.patientShareInvoiceId
      ? ` and the patient's share invoice voided${creditTakenBack > 0 ? ` (the ${money(creditTakenBack)} of credit that paid it is the patient's credit again)` : ""}`
      : "";
    const secondaryWords =
      secondary && secondary.reduction > 0
        ? `; the ${money(secondary.reduction)} it took off the patient's share of the primary claim is owed again (${secondary.creditNotes.join(", ")} voided)`
        : "";
    const message = `${number}: ${payment.remittance.payerName} reversed its payment ${original.remittance.traceNumber} of ${money(original.paidAmount)}; its journals are reversed${shareWords}${secondaryWords}${owedOn ? `; what the payer owes again is on ${owedOn.number}, the corrected claim that took over its balance` : ""}.`;
    await recordClaimEvent(tx, {
      organizationId,
      claimId,
      status: claim!.status,
      kind: "remittance_reversed",
      actor,
      message,
      fileId: payment.remittance.clearinghouseFileId,
      now,
    });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "remittance.claim_payment_reversed",
      target: { type: "claim", id: claimId },
      after: { remittanceClaimId: payment.id, reverses: original.id, owedOnClaimId: owedOn?.id ?? claimId, creditTakenBack },
    });
    return { outcome: "reversed", claimId, patientShareInvoiceId: null, message };
  }

  /**
   * The submitted correction (frequency 7, not closed) that took over the claim's balance, following
   * corrections of corrections; null when none is live (or it is not sent yet: then the balance is
   * still on the claim, and moves when it is sent). Locked, after the claim.
   */
  async function liveReplacementOf(originalId: string): Promise<{ id: string; number: string } | null> {
    let found: { id: string; number: string } | null = null;
    for (let current = originalId, depth = 0; depth < 10; depth++) {
      const [next] = await runner.query<{ id: string; number: number }>(
        sql`SELECT id::text AS id, number FROM claims
            WHERE replaces_claim_id = ${current}::uuid AND organization_id = ${organizationId}::uuid AND frequency_code = '7'
              AND status NOT IN ('draft', 'ready', 'closed')
            ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
      );
      if (!next) break;
      found = { id: next.id, number: formatClaimNumber(next.number) };
      current = next.id;
    }
    return found;
  }

  /**
   * Voids the patient-share invoice of a reversed payment. Credit the patient's credit paid onto it
   * is taken back off first (no money leaves: it is their credit again); returns how much. Refused
   * (the reversal held, in words saying what to do) when money the patient paid is on it, or credit
   * notes or a write-off.
   */
  async function voidPatientShare(invoiceId: string, moveClaim: { from: string; to: string } | undefined): Promise<number> {
    let invoice = await lockInvoice(tx, { id: invoiceId, organizationId });
    if (invoice.status === "void") return 0;
    const held = (why: string) =>
      new AppError("CONFLICT", `${number}: the patient's share of the reversed payment is on ${invoice.number}, ${why}; then post this reversal again.`);
    const standing = await listStandingCreditApplications(tx, { organizationId, invoiceId });
    const fromCredit = sum(standing.map((application) => application.amount));
    const paidByMoney = invoice.amountPaid - fromCredit;
    if (paidByMoney > 0) {
      throw held(
        `which the patient paid ${money(paidByMoney)} of (card, cash, check or bank): refund that payment choosing "Put the amount back on the invoice" (a card payment) or void it (cash, check, card terminal, bank transfer); Carebill takes back any credit applied to it itself`,
      );
    }
    if (invoice.amountCredited > 0 || invoice.amountWrittenOff > 0 || invoice.status === "uncollectible") {
      throw held(
        `which has ${money(invoice.amountCredited + invoice.amountWrittenOff)} credited or written off (a credit note, a secondary payer's payment, a write-off): reverse that first (a secondary payer's payment by its reversal)`,
      );
    }
    const inFlight = await tx.payment.count({ where: { invoiceId, status: { in: [...IN_FLIGHT_STATUSES] } } });
    if (inFlight > 0) throw held("which has a card payment in progress: let it finish or cancel it");
    const reason = `The payer reversed the claim payment this share came from (${number}).`;
    for (const application of standing) {
      const taken = await unapplyCreditInTransaction(tx, { organizationId, invoice, creditApplicationId: application.id, actor, reason, now });
      invoice = taken.invoice;
    }
    const finalized = await tx.journalEntry.findFirst({
      where: { organizationId, sourceType: "invoice", sourceId: invoice.id, kind: "invoice.finalized", reversedBy: null },
      select: { id: true },
    });
    if (finalized)
      await reverseJournal(tx, { journalEntryId: finalized.id, kind: "invoice.voided", memo: `Void ${invoice.number}: ${reason}`, occurredAt: now, moveClaim });
    await changeInvoiceBalance(tx, invoice, { kind: "void", reason, at: now });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "invoice.voided",
      target: { type: "invoice", id: invoice.id },
      before: { status: invoice.status, amountDue: invoice.amountDue },
      after: { status: "void", reason, creditTakenBack: fromCredit },
    });
    return fromCredit;
  }
}

type Adjudicated = { statusCode: string; paidAmount: number; adjustments: Adjustment[]; lines: { id: string; chargeAmount: number; paidAmount: number }[] };

/**
 * A claim payment's adjustments split three ways: the patient's (PR), the contractual ones the
 * clinic takes off (CO, PI, OA, CR on what the payer adjudicated) and the denied ones, which stay
 * open on the claim: on a line paid nothing with nothing owed by the patient, and every non-PR
 * adjustment of a denied claim (CLP02 4).
 */
export function adjudicationOf(payment: Adjudicated): { contractual: number; patient: number; denied: number; deniedLineIds: Set<string> } {
  const patientOn = (lineId: string | null) =>
    sum(
      payment.adjustments
        .filter((adjustment) => adjustment.groupCode === "PR" && adjustment.remittanceLineId === lineId)
        .map((adjustment) => adjustment.amount),
    );
  const deniedLineIds = new Set(
    payment.lines
      .filter((line) => payment.statusCode === "4" || (line.chargeAmount > 0 && line.paidAmount === 0 && patientOn(line.id) === 0))
      .map((line) => line.id),
  );
  const isDenied = (adjustment: Adjustment) =>
    payment.statusCode === "4" || (adjustment.remittanceLineId !== null && deniedLineIds.has(adjustment.remittanceLineId));
  const others = payment.adjustments.filter((adjustment) => CONTRACTUAL_GROUPS.has(adjustment.groupCode));
  return {
    patient: sum(payment.adjustments.filter((adjustment) => adjustment.groupCode === "PR").map((adjustment) => adjustment.amount)),
    contractual: sum(others.filter((adjustment) => !isDenied(adjustment)).map((adjustment) => adjustment.amount)),
    denied: sum(others.filter(isDenied).map((adjustment) => adjustment.amount)),
    deniedLineIds,
  };
}

const isPriorPayersAdjudication = (adjustment: Adjustment) => adjustment.groupCode === "OA" && adjustment.reasonCode === "23";

/** CLP02 codes saying the payer answered as a later payer (its answer to a claim sent as primary is held). */
const LATER_PAYER_STATUS: Record<string, string> = { "2": "secondary", "3": "tertiary", "20": "secondary", "21": "tertiary" };

/**
 * paid, partially paid (some of it denied) or denied (CLP02 4, or nothing paid or owed at all); a
 * denial after an earlier payment of the claim (`paidBefore`) leaves it partially paid. On a
 * secondary or tertiary claim (`afterAnotherPayer`), a line paid nothing only because of OA-23 (the
 * payers before paid or adjusted it all) is settled, not denied.
 */
function claimStatusAfter(payment: Adjudicated, paidBefore: number, afterAnotherPayer: boolean): ClaimStatus {
  const settledBefore = (line: Adjudicated["lines"][number]) =>
    payment.adjustments.filter((adjustment) => adjustment.remittanceLineId === line.id).every(isPriorPayersAdjudication);
  const { patient, denied } = adjudicationOf(
    afterAnotherPayer
      ? {
          ...payment,
          lines: payment.lines.filter((line) => !settledBefore(line)),
          adjustments: payment.adjustments.filter((adjustment) => !isPriorPayersAdjudication(adjustment)),
        }
      : payment,
  );
  if (payment.statusCode === "4" || (payment.paidAmount === 0 && patient === 0)) return paidBefore > 0 ? "partially_paid" : "denied";
  return denied > 0 ? "partially_paid" : "paid";
}

export type PaymentForShare = {
  id: string;
  remittance: { payerName: string; traceNumber: string };
  lines: { id: string; claimLineId: string | null; procedureCode: string; modifiers: string[]; serviceDate: Date | null }[];
};

/**
 * The patient's share as an invoice they can read and pay: a line per service line and reason
 * ("Deductible — office visit 99213 on 2026-11-02"), claim-level amounts on lines of their own;
 * finalized with its total moved from the claim's insurance receivable to the patient's. Used for
 * the PR adjustments of a posted payment, and by the denial queue for a denial the patient may be
 * billed for (never CO: the caller checks). Returns the invoice id.
 */
export async function billPatientShare(
  tx: Tx,
  options: {
    organizationId: string;
    claimId: string;
    number: string;
    payment: PaymentForShare;
    patientAdjustments: Adjustment[];
    actor: AuditActor;
    now: Date;
  },
): Promise<string> {
  const { organizationId, claimId, payment } = options;
  const claim = await tx.claim.findUniqueOrThrow({
    where: { id: claimId },
    select: { patientId: true, lines: { orderBy: { position: "asc" }, select: { id: true, description: true, procedureCode: true, serviceDate: true } } },
  });
  const firstDay = toIsoDate(claim.lines[0]?.serviceDate ?? null);
  const describeService = (remittanceLineId: string | null): { words: string; code: string | null } => {
    const line = payment.lines.find((candidate) => candidate.id === remittanceLineId);
    if (!line) return { words: `visit on ${firstDay}`, code: null };
    const claimLine = claim.lines.find((candidate) => candidate.id === line.claimLineId);
    const what = serviceInSentence(claimLine?.description ?? "");
    const day = toIsoDate(line.serviceDate ?? claimLine?.serviceDate ?? null) ?? firstDay;
    return { words: `${what} ${line.procedureCode} on ${day}`, code: line.procedureCode };
  };
  // One line per (service line, reason), in the order the payer listed them.
  const grouped = new Map<string, { remittanceLineId: string | null; groupCode: string; reasonCode: string; amount: number }>();
  for (const adjustment of options.patientAdjustments) {
    const key = `${adjustment.remittanceLineId ?? "claim"}|${adjustment.groupCode}|${adjustment.reasonCode}`;
    const current = grouped.get(key) ?? {
      remittanceLineId: adjustment.remittanceLineId,
      groupCode: adjustment.groupCode,
      reasonCode: adjustment.reasonCode,
      amount: 0,
    };
    grouped.set(key, { ...current, amount: current.amount + adjustment.amount });
  }
  const lines = [...grouped.values()]
    .filter((entry) => entry.amount > 0)
    .map((entry) => {
      const service = describeService(entry.remittanceLineId);
      return {
        description: `${patientShareReason(entry.groupCode, entry.reasonCode)} — ${service.words}`.slice(0, 500),
        serviceCode: service.code,
        quantity: 1,
        unitAmount: entry.amount,
      };
    });
  const runner = sqlOf(tx);
  const { invoice } = await createInvoiceIn(runner, {
    organizationId,
    actor: options.actor,
    now: options.now,
    input: {
      patientId: claim.patientId,
      terms: "net_30",
      memo: `Your share of the visit on ${firstDay}, after ${payment.remittance.payerName} processed claim ${options.number} (payment ${payment.remittance.traceNumber}).`,
      lines,
    },
  });
  await finalizeInvoiceIn(runner, { organizationId, invoiceId: invoice.id, actor: options.actor, now: options.now, patientShareOfClaimId: claimId });
  return invoice.id;
}

/**
 * The coverage's plan-year accumulators: PR-1 adds to the deductible met; PR-1, PR-2 and PR-3 to the
 * out-of-pocket met (individual and family, each where the plan's amount is on file; nothing is
 * tracked against a limit nobody entered). A reversal
 * (sign −1) takes them back, never below zero. A coverage revision records each change.
 */
async function applyAccumulators(
  tx: Tx,
  options: { organizationId: string; claimId: string; adjustments: Adjustment[]; sign: 1 | -1; actor: AuditActor },
): Promise<void> {
  const deductible = sum(options.adjustments.filter((adjustment) => adjustment.reasonCode === "1").map((adjustment) => adjustment.amount));
  const outOfPocket = sum(options.adjustments.filter((adjustment) => ["1", "2", "3"].includes(adjustment.reasonCode)).map((adjustment) => adjustment.amount));
  if (deductible === 0 && outOfPocket === 0) return;
  const { coverageId } = await tx.claim.findUniqueOrThrow({ where: { id: options.claimId }, select: { coverageId: true } });
  const before = await lockCoverage(tx, { organizationId: options.organizationId, coverageId });
  // Only amounts the plan has: a "met" without its limit is refused everywhere else (benefits, 271).
  const add = (met: number | null, limit: number | null, amount: number) => (limit === null ? met : Math.max(0, (met ?? 0) + options.sign * amount));
  const data = {
    deductibleIndividualMet: add(before.deductibleIndividualMet, before.deductibleIndividual, deductible),
    deductibleFamilyMet: add(before.deductibleFamilyMet, before.deductibleFamily, deductible),
    outOfPocketMaxIndividualMet: add(before.outOfPocketMaxIndividualMet, before.outOfPocketMaxIndividual, outOfPocket),
    outOfPocketMaxFamilyMet: add(before.outOfPocketMaxFamilyMet, before.outOfPocketMaxFamily, outOfPocket),
  };
  const unchanged =
    data.deductibleIndividualMet === before.deductibleIndividualMet &&
    data.deductibleFamilyMet === before.deductibleFamilyMet &&
    data.outOfPocketMaxIndividualMet === before.outOfPocketMaxIndividualMet &&
    data.outOfPocketMaxFamilyMet === before.outOfPocketMaxFamilyMet;
  if (unchanged) return;
  const coverage = await tx.coverage.update({ where: { id: before.id }, data: { ...data, version: before.version + 1 } });
  const payer = await tx.payer.findUniqueOrThrow({ where: { id: coverage.payerId }, select: { name: true, payerId: true } });
  await appendCoverageRevision(tx, { coverage, payer, change: "remittance_applied", actor: options.actor });
}
