import { z } from "zod";
import "@/lib/validation/fields";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { formatClaimNumber } from "@/lib/claims/claim-number";
import { recordClaimAdjudication } from "@/lib/claims/claim-receivable";
import { CLAIM_STATUS_LABELS, recordClaimEvent, transitionClaim } from "@/lib/claims/transition-claim";
import type { Db, Tx } from "@/lib/db/client";
import type { ClaimStatus } from "@/lib/db/generated/client";
import { inTransaction } from "@/lib/db/in-transaction";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { zRecordId } from "@/lib/http/record-id";
import { fromIsoDate, toIsoDate } from "@/lib/invoices/dates";
import { postJournal } from "@/lib/ledger/post-journal";
import { formatMoney } from "@/lib/money/currency";
import { zMultilineText } from "@/lib/validation/fields";
import { describeAdjustment, describeRarc } from "@/lib/x12/remittance-codes";
import { adjudicationOf, billPatientShare, type Adjustment, type PaymentForShare } from "./post-claim-payment";

/**
 * The denial work queue (docs/remittances.md, "Denials"): claims the payer denied in whole or in
 * part whose denied amount is still open on the claim's insurance receivable (remittance posting
 * leaves it there), with the payer's reasons in words and what staff can do about each:
 *
 * - correct and resubmit: a corrected claim (frequency 7, lib/claims/correct-claim.ts); the open
 *   balance moves to it when it is submitted (`claim.replaced`), so the original leaves the queue;
 * - an appeal note in the claim's history (the appeal itself goes to the payer outside Carebill);
 * - write off what is open: `claim.written_off` (Dr insurance write-offs / Cr insurance receivable)
 *   and the claim closed;
 * - bill the patient for what the payer denied under a group other than CO (OA, PI, PR): a CO
 *   (contractual obligation) denial may never be billed to the patient. The bill is an invoice like
 *   the patient's share of a remittance (billPatientShare), its total moved from the claim's
 *   receivable to the patient's. When that leaves nothing open, the claim keeps its status (denied or
 *   partially paid is what the payer decided; a correction or appeal can still follow) and leaves
 *   the queue, which shows only claims with something open.
 */

/** A claim event's kind when staff billed a denial to the patient; its details name the adjustments billed (so each is billed once). */
export const DENIAL_BILLED_KIND = "denial_billed_to_patient";
const DENIAL_STATUSES: readonly ClaimStatus[] = ["denied", "partially_paid"];

export const ZListDenialsOptions = z.strictObject({
  organizationId: zRecordId(),
  cursor: zRecordId("Use the nextCursor of the previous page.").optional(),
  limit: z.number().int("Give a whole number.").min(1, "At least 1.").max(100, "At most 100."),
});
export type TListDenialsOptions = z.input<typeof ZListDenialsOptions>;

/** One adjustment the payer denied, in words (amounts in cents). */
export type DenialReasonView = {
  /** The remittance adjustment's id. */
  id: string;
  groupCode: string;
  reasonCode: string;
  /** "CO-29" */
  code: string;
  /** "CO-29: Contractual obligation — The time limit for filing has expired." */
  description: string;
  amount: number;
  /** The service line it is on as the payer paid it; null for a claim-level adjustment. */
  line: { procedureCode: string; modifiers: string[]; serviceDate: string | null; chargeAmount: number } | null;
  /** The remark codes (RARC) of its line, or of the claim payment for a claim-level adjustment. */
  remarks: { code: string; description: string }[];
  /** The patient may be billed for it (any group but CO). */
  patientMayBeBilled: boolean;
  /** Already billed to the patient from this queue. */
  billedToPatient: boolean;
  remittance: { id: string; traceNumber: string };
};

export type DenialView = {
  claim: { id: string; displayNumber: string; status: "denied" | "partially_paid"; statusLabel: string };
  patient: { id: string; name: string };
  payer: { id: string; name: string };
  /** YYYY-MM-DD: the first and last dates of service of the claim's lines. */
  serviceFrom: string;
  serviceTo: string;
  totalCharge: number;
  insurancePaid: number;
  /** What the payer still owes on the claim: the denied amount left open (less what was billed to the patient). */
  openBalance: number;
  currency: string;
  reasons: DenialReasonView[];
  /** A corrected claim already replacing this one (not closed): correcting again is not offered. */
  correction: { id: string; displayNumber: string; status: ClaimStatus } | null;
  actions: {
    correct: boolean;
    /** Why it cannot be corrected, in words; null when it can. */
    correctRefusal: string | null;
    appeal: boolean;
    writeOff: boolean;
    billPatient: boolean;
    /** What "Bill the patient" would bill: the non-CO denied amounts not billed yet. */
    billPatientAmount: number;
    /** Why the patient cannot be billed, in words; null when they can. */
    billPatientRefusal: string | null;
  };
};

export type DenialsPage = { denials: DenialView[]; nextCursor: string | null };

type ClaimRow = {
  id: string;
  number: number;
  status: "denied" | "partially_paid";
  balance: number;
  totalCharge: number;
  insurancePaid: number;
  frequencyCode: string;
  payerClaimNumber: string | null;
  patientId: string;
  patientFirstName: string;
  patientLastName: string;
  payerId: string;
  payerName: string;
  currency: string;
  serviceFrom: Date;
  serviceTo: Date;
  correction: { id: string; number: number; status: ClaimStatus } | null;
  billedAdjustmentIds: string[];
};

type PaymentRow = {
  id: string;
  claimId: string;
  statusCode: string;
  paidAmount: number;
  payerClaimControlNumber: string | null;
  remarkCodes: string[];
  remittanceId: string;
  traceNumber: string;
  payerName: string;
  lines: {
    id: string;
    claimLineId: string | null;
    procedureCode: string;
    modifiers: string[];
    chargeAmount: number;
    paidAmount: number;
    serviceDate: string | null;
    remarkCodes: string[];
  }[];
  adjustments: (Adjustment & { id: string })[];
};

/** The claims of the clinic in the queue (or the one asked for), newest claim first, in keyset pages. */
async function claimRows(db: Db | Tx, options: { organizationId: string; cursor?: string; limit: number; claimId?: string }) {
  const { organizationId } = options;
  return sqlOf(db).query<ClaimRow>(sql`
    WITH cursor_claim AS (
      SELECT number FROM claims WHERE id = ${options.cursor ?? null}::uuid AND organization_id = ${organizationId}::uuid
    )
    SELECT c.id, c.number, c.status, c.insurance_balance AS balance, c.total_charge AS "totalCharge", c.insurance_paid AS "insurancePaid",
           c.frequency_code AS "frequencyCode", c.payer_claim_number AS "payerClaimNumber",
           p.id AS "patientId", p.first_name AS "patientFirstName", p.last_name AS "patientLastName",
           py.id AS "payerId", py.name AS "payerName", o.currency,
           (SELECT min(cl.service_date) FROM claim_lines cl WHERE cl.claim_id = c.id) AS "serviceFrom",
           (SELECT max(COALESCE(cl.service_date_end, cl.service_date)) FROM claim_lines cl WHERE cl.claim_id = c.id) AS "serviceTo",
           (SELECT json_build_object('id', r.id, 'number', r.number, 'status', r.status) FROM claims r
            WHERE r.replaces_claim_id = c.id AND r.status <> 'closed' ORDER BY r.number DESC LIMIT 1) AS correction,
           COALESCE((SELECT array_agg(billed.id) FROM claim_events e
                     CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE(e.details->'adjustmentIds', '[]'::jsonb)) AS billed(id)
                     WHERE e.claim_id = c.id AND e.kind = ${DENIAL_BILLED_KIND}), '{}'::text[]) AS "billedAdjustmentIds"
    FROM claims c
    JOIN patients p ON p.id = c.patient_id
    JOIN payers py ON py.id = c.payer_id
    JOIN organizations o ON o.id = c.organization_id
    WHERE c.organization_id = ${organizationId}::uuid
      AND ${options.claimId ? sql`c.id = ${options.claimId}::uuid` : sql`c.status IN ('denied', 'partially_paid') AND c.insurance_balance > 0`}
      AND (NOT EXISTS (SELECT 1 FROM cursor_claim) OR c.number < (SELECT number FROM cursor_claim))
    ORDER BY c.number DESC
    LIMIT ${options.limit + 1}::int`);
}

/** The posted (not reversed) claim payments of these claims, with their lines and adjustments, in the order they were posted. */
async function paymentRows(db: Db | Tx, organizationId: string, claimIds: string[]): Promise<PaymentRow[]> {
  if (claimIds.length === 0) return [];
  return sqlOf(db).query<PaymentRow>(sql`
    SELECT rc.id, rc.claim_id AS "claimId", rc.status_code AS "statusCode", rc.paid_amount AS "paidAmount",
           rc.payer_claim_control_number AS "payerClaimControlNumber", rc.remark_codes AS "remarkCodes",
           r.id AS "remittanceId", r.trace_number AS "traceNumber", r.payer_name AS "payerName",
           COALESCE((SELECT json_agg(json_build_object('id', l.id, 'claimLineId', l.claim_line_id, 'procedureCode', l.procedure_code,
                                                       'modifiers', l.modifiers, 'chargeAmount', l.charge_amount, 'paidAmount', l.paid_amount,
                                                       'serviceDate', l.service_date, 'remarkCodes', l.remark_codes) ORDER BY l.position)
                     FROM remittance_lines l WHERE l.remittance_claim_id = rc.id), '[]'::json) AS lines,
           COALESCE((SELECT json_agg(json_build_object('id', a.id, 'groupCode', a.group_code, 'reasonCode', a.reason_code, 'amount', a.amount,
                                                       'remittanceLineId', a.remittance_line_id) ORDER BY a.position)
                     FROM remittance_adjustments a WHERE a.remittance_claim_id = rc.id), '[]'::json) AS adjustments
    FROM remittance_claims rc
    JOIN remittances r ON r.id = rc.remittance_id
    WHERE rc.organization_id = ${organizationId}::uuid AND rc.claim_id = ANY(${claimIds}::uuid[])
      AND rc.status = 'posted' AND rc.status_code <> '22'
    ORDER BY rc.posted_at, rc.position`);
}

/** The adjustments of a posted payment that the payer denied (adjudicationOf's rule): the non-PR ones on denied lines, or all of a CLP02 4. */
function deniedAdjustments(payment: PaymentRow): PaymentRow["adjustments"] {
  const { deniedLineIds } = adjudicationOf(payment);
  return payment.adjustments.filter(
    (adjustment) =>
      adjustment.groupCode !== "PR" && (payment.statusCode === "4" || (adjustment.remittanceLineId !== null && deniedLineIds.has(adjustment.remittanceLineId))),
  );
}

const describeRemarks = (codes: readonly string[]) => codes.map((code) => ({ code, description: describeRarc(code) }));

function toReasons(payments: PaymentRow[], billed: ReadonlySet<string>): DenialReasonView[] {
  return payments.flatMap((payment) =>
    deniedAdjustments(payment).map((adjustment): DenialReasonView => {
      const line = payment.lines.find((candidate) => candidate.id === adjustment.remittanceLineId) ?? null;
      return {
        id: adjustment.id,
        groupCode: adjustment.groupCode,
        reasonCode: adjustment.reasonCode,
        code: `${adjustment.groupCode}-${adjustment.reasonCode}`,
        description: describeAdjustment(adjustment.groupCode, adjustment.reasonCode),
        amount: adjustment.amount,
        line: line && { procedureCode: line.procedureCode, modifiers: line.modifiers, serviceDate: line.serviceDate, chargeAmount: line.chargeAmount },
        remarks: describeRemarks(line ? line.remarkCodes : payment.remarkCodes),
        patientMayBeBilled: adjustment.groupCode !== "CO",
        billedToPatient: billed.has(adjustment.id),
        remittance: { id: payment.remittanceId, traceNumber: payment.traceNumber },
      };
    }),
  );
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

function toDenialView(row: ClaimRow, payments: PaymentRow[]): DenialView {
  const reasons = toReasons(payments, new Set(row.billedAdjustmentIds));
  const money = (cents: number) => formatMoney(cents, row.currency);
  const billable = reasons.filter((reason) => reason.patientMayBeBilled && !reason.billedToPatient);
  const billPatientAmount = sum(billable.map((reason) => reason.amount));
  const coCodes = [...new Set(reasons.filter((reason) => !reason.patientMayBeBilled).map((reason) => reason.code))];
  let billPatientRefusal: string | null = null;
  if (billable.length === 0) {
    billPatientRefusal =
      coCodes.length > 0
        ? `The payer denied it as ${coCodes.join(", ")} (contractual obligation): the patient may never be billed for a CO denial. Correct and resubmit, appeal, or write it off.`
        : reasons.some((reason) => reason.billedToPatient)
          ? "What the patient may be billed for was billed already."
          : "The payer's remittance names no denial the patient may be billed for.";
  } else if (billPatientAmount <= 0) {
    billPatientRefusal = "The denied amounts the patient may be billed for add up to nothing.";
  } else if (billPatientAmount > row.balance) {
    billPatientRefusal = `The denied amounts the patient may be billed for (${money(billPatientAmount)}) are more than the ${money(row.balance)} still open on the claim.`;
  }
  const payerClaimNumber = row.payerClaimNumber ?? payments.findLast((payment) => payment.payerClaimControlNumber)?.payerClaimControlNumber ?? null;
  const correctRefusal = row.correction
    ? `${formatClaimNumber(row.correction.number)} already corrects this claim (${CLAIM_STATUS_LABELS[row.correction.status].toLowerCase()}).`
    : row.frequencyCode === "8"
      ? "A void claim cannot be corrected."
      : payerClaimNumber === null
        ? "The payer has given no claim number (277CA or remittance) for a corrected claim to quote."
        : null;
  return {
    claim: { id: row.id, displayNumber: formatClaimNumber(row.number), status: row.status, statusLabel: CLAIM_STATUS_LABELS[row.status] },
    patient: { id: row.patientId, name: `${row.patientFirstName} ${row.patientLastName}` },
    payer: { id: row.payerId, name: row.payerName },
    serviceFrom: toIsoDate(row.serviceFrom)!,
    serviceTo: toIsoDate(row.serviceTo)!,
    totalCharge: row.totalCharge,
    insurancePaid: row.insurancePaid,
    openBalance: row.balance,
    currency: row.currency,
    reasons,
    correction: row.correction && { id: row.correction.id, displayNumber: formatClaimNumber(row.correction.number), status: row.correction.status },
    actions: {
      correct: correctRefusal === null,
      correctRefusal,
      appeal: true,
      writeOff: true,
      billPatient: billPatientRefusal === null,
      billPatientAmount,
      billPatientRefusal,
    },
  };
}

/**
 * The denial queue: the clinic's claims that are denied or partially paid with something still
 * open on their insurance receivable, newest claim first, in keyset pages (cursor: the last claim's
 * id), each with the denied adjustments of its posted payments in words and the actions allowed.
 * Two queries.
 */
export async function listDenials(db: Db | Tx, options: TListDenialsOptions): Promise<DenialsPage> {
  const { organizationId, cursor, limit } = ZListDenialsOptions.parse(options);
  const rows = await claimRows(db, { organizationId, cursor, limit });
  const page = rows.slice(0, limit);
  const payments = await paymentRows(
    db,
    organizationId,
    page.map((row) => row.id),
  );
  return {
    denials: page.map((row) =>
      toDenialView(
        row,
        payments.filter((payment) => payment.claimId === row.id),
      ),
    ),
    nextCursor: rows.length > limit ? page.at(-1)!.id : null,
  };
}

/** One claim's denial (for its page): null when it is not in the queue (not denied or partially paid, or nothing open). */
export async function getClaimDenial(db: Db | Tx, options: { organizationId: string; claimId: string }): Promise<DenialView | null> {
  const [row] = await claimRows(db, { ...options, limit: 1 });
  if (!row || !DENIAL_STATUSES.includes(row.status) || row.balance <= 0) return null;
  return toDenialView(row, await paymentRows(db, options.organizationId, [row.id]));
}

/** The claim locked, in the queue, with its denial; refused in words otherwise. */
async function lockDenial(
  tx: Tx,
  options: { organizationId: string; claimId: string },
  doing: string,
): Promise<{ row: ClaimRow; denial: DenialView; payments: PaymentRow[] }> {
  // The lock first, in a statement of its own: the read after it sees what a concurrent action committed (billed adjustments, the balance).
  const [locked] = await sqlOf(tx).query<{ id: string }>(
    sql`SELECT id FROM claims WHERE id = ${options.claimId}::uuid AND organization_id = ${options.organizationId}::uuid FOR UPDATE`,
  );
  if (!locked) throw new AppError("NOT_FOUND", "Claim not found.");
  const [row] = await claimRows(tx, { ...options, limit: 1 });
  if (!row) throw new AppError("NOT_FOUND", "Claim not found.");
  const number = formatClaimNumber(row.number);
  if (!DENIAL_STATUSES.includes(row.status)) {
    throw new AppError(
      "CONFLICT",
      `${number} is ${CLAIM_STATUS_LABELS[row.status].toLowerCase()}: only a denied or partially paid claim can be ${doing} from the denial queue.`,
    );
  }
  if (row.balance <= 0) throw new AppError("CONFLICT", `Nothing is open on ${number}: there is nothing to ${doing === "written off" ? "write off" : "bill"}.`);
  const payments = await paymentRows(tx, options.organizationId, [row.id]);
  return { row, denial: toDenialView(row, payments), payments };
}

export const ZWriteOffDenialInput = z.strictObject({
  reason: zMultilineText().min(3, "Say why it is written off (at least 3 characters).").max(500, "Keep the reason under 500 characters."),
});

/**
 * Writes off what is still open on a denied or partially paid claim, in one transaction: the claim
 * locked, `claim.written_off` (Dr insurance write-offs / Cr insurance receivable, naming the claim,
 * so its balance goes to 0), the claim's written-off total, the claim closed with the reason in its
 * history, an audit event. A claim a live correction replaces is refused (the correction carries the
 * balance once submitted; close it first).
 */
export async function writeOffDenial(
  db: Db | Tx,
  options: { organizationId: string; claimId: string; reason: string; actor: AuditActor; now?: Date },
): Promise<{ amount: number; message: string }> {
  const { organizationId, claimId, actor } = options;
  const { reason } = ZWriteOffDenialInput.parse({ reason: options.reason });
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const { row } = await lockDenial(tx, { organizationId, claimId }, "written off");
    const number = formatClaimNumber(row.number);
    if (row.correction) {
      throw new AppError(
        "CONFLICT",
        `${formatClaimNumber(row.correction.number)} corrects ${number} and takes over what is open on it when submitted; close the correction first to write this claim off.`,
      );
    }
    const amount = row.balance;
    const money = formatMoney(amount, row.currency);
    await postJournal(tx, {
      organizationId,
      currency: row.currency,
      kind: "claim.written_off",
      memo: `${number}: ${money} the payer denied written off (${reason.slice(0, 200)})`,
      source: { type: "claim", id: claimId },
      occurredAt: now,
      lines: [
        { account: "insuranceWriteOffs", amount },
        { account: "arInsurance", amount: -amount, claimId },
      ],
    });
    await recordClaimAdjudication(tx, { organizationId, claimId, change: { writtenOff: amount } });
    const message = `Wrote off ${money} the payer denied: ${reason}`;
    await transitionClaim(tx, { organizationId, claimId, to: "closed", kind: "written_off", actor, message, now });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "claim.written_off",
      target: { type: "claim", id: claimId },
      before: { status: row.status, insuranceBalance: amount },
      after: { status: "closed", writtenOff: amount, reason },
    });
    return { amount, message: `${number}: ${money} written off; the claim is closed.` };
  });
}

export const ZAppealNoteInput = z.strictObject({
  note: zMultilineText().min(3, "Write the note (at least 3 characters).").max(2000, "Keep the note under 2,000 characters."),
});

/** An appeal note in a sent claim's history (what was appealed, when, to whom), with an audit event; the claim does not move. */
export async function addAppealNote(
  db: Db | Tx,
  options: { organizationId: string; claimId: string; note: string; actor: AuditActor; now?: Date },
): Promise<void> {
  const { organizationId, claimId, actor } = options;
  const { note } = ZAppealNoteInput.parse({ note: options.note });
  await inTransaction(db, async (tx) => {
    const claim = await tx.claim.findFirst({ where: { id: claimId, organizationId }, select: { status: true, number: true } });
    if (!claim) throw new AppError("NOT_FOUND", "Claim not found.");
    if (claim.status === "draft" || claim.status === "ready") {
      throw new AppError("CONFLICT", `${formatClaimNumber(claim.number)} has not been sent to the payer: there is nothing to appeal.`);
    }
    await recordClaimEvent(tx, { organizationId, claimId, status: claim.status, kind: "appeal_note", actor, message: note, now: options.now });
    await recordAuditEvent(tx, { organizationId, actor, action: "claim.appeal_noted", target: { type: "claim", id: claimId }, after: { note } });
  });
}

/**
 * Bills the patient for what the payer denied under a group other than CO (OA, PI, PR), in one
 * transaction: an invoice per claim payment with a line per service line and reason (billPatientShare),
 * its total moved from the claim's receivable to the patient's; the claim's patient total; a claim
 * event naming the adjustments billed (each is billed once); an audit event. Refused, naming the
 * codes, when the payer's denial is CO only: the clinic may not bill the patient for it.
 * The claim keeps its status (see the module's comment).
 */
export async function billDenialToPatient(
  db: Db | Tx,
  options: { organizationId: string; claimId: string; actor: AuditActor; now?: Date },
): Promise<{ amount: number; invoiceIds: string[]; message: string }> {
  const { organizationId, claimId, actor } = options;
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const { row, denial, payments } = await lockDenial(tx, { organizationId, claimId }, "billed to the patient");
    const number = formatClaimNumber(row.number);
    if (!denial.actions.billPatient) throw new AppError("CONFLICT", `${number}: ${denial.actions.billPatientRefusal}`);
    const billable = denial.reasons.filter((reason) => reason.patientMayBeBilled && !reason.billedToPatient);
    const billableIds = new Set(billable.map((reason) => reason.id));
    const invoiceIds: string[] = [];
    for (const payment of payments) {
      const adjustments = payment.adjustments.filter((adjustment) => billableIds.has(adjustment.id));
      if (adjustments.length === 0) continue;
      const forShare: PaymentForShare = {
        id: payment.id,
        remittance: { payerName: payment.payerName, traceNumber: payment.traceNumber },
        lines: payment.lines.map((line) => ({
          id: line.id,
          claimLineId: line.claimLineId,
          procedureCode: line.procedureCode,
          modifiers: line.modifiers,
          serviceDate: line.serviceDate ? fromIsoDate(line.serviceDate) : null,
        })),
      };
      invoiceIds.push(await billPatientShare(tx, { organizationId, claimId, number, payment: forShare, patientAdjustments: adjustments, actor, now }));
    }
    const amount = denial.actions.billPatientAmount;
    await recordClaimAdjudication(tx, { organizationId, claimId, change: { patient: amount } });
    const money = formatMoney(amount, row.currency);
    const codes = [...new Set(billable.map((reason) => reason.code))].join(", ");
    const left = row.balance - amount;
    await recordClaimEvent(tx, {
      organizationId,
      claimId,
      status: row.status,
      kind: DENIAL_BILLED_KIND,
      actor,
      message: `Billed ${money} the payer denied (${codes}) to the patient.${left > 0 ? ` ${formatMoney(left, row.currency)} stays open on the claim.` : ""}`,
      details: { amount, invoiceIds, adjustmentIds: [...billableIds] },
      now,
    });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "claim.denial_billed_to_patient",
      target: { type: "claim", id: claimId },
      after: { amount, invoiceIds, codes },
    });
    return {
      amount,
      invoiceIds,
      message: `${number}: ${money} (${codes}) billed to ${denial.patient.name}.${left > 0 ? ` ${formatMoney(left, row.currency)} stays open on the claim.` : ""}`,
    };
  });
}
