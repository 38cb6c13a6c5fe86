import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { formatClaimNumber, parseClaimNumber } from "@/lib/claims/claim-number";
import { recordClaimEvent } from "@/lib/claims/transition-claim";
import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { zRecordId } from "@/lib/http/record-id";
import { toIsoDate } from "@/lib/invoices/dates";
import { logger } from "@/lib/observability/logger";
import { CLAIM_PAYMENT_STATUS_CODES, describeRemittanceCode } from "@/lib/x12/remittance-codes";
import { postClaimPaymentAgain } from "./post-remittance";
import { comparePersonNames, PATIENT_NAME_MISMATCH, parseStoredName } from "./patient-name-match";
import { matchLine } from "./store-remittance";

/**
 * The unmatched-remittances work queue (docs/remittances.md, "Unmatched and held"): claim payments
 * of stored 835s that Carebill could not post, with why in words. `unmatched`: CLP01 named no claim
 * of this clinic that the payment can belong to (not a claim number of ours, a claim not sent, billed
 * to another payer, a patient whose name is clearly not the claim's); staff match it by hand to the
 * right claim (confirming a name that differs), and it is posted at once. `held`:
 * matched but refused by posting (a payer not set up, more than is owed, a closed claim…); staff fix
 * what held it and post it again.
 */

export const ZListUnmatchedOptions = z.strictObject({
  organizationId: zRecordId(),
  cursor: zRecordId("Use the nextCursor of the previous page.").optional(),
  limit: z.number().int("Give a whole number.").min(1, "At least 1.").max(100, "At most 100."),
});
export type TListUnmatchedOptions = z.input<typeof ZListUnmatchedOptions>;

/** One claim payment waiting for staff (amounts in cents). */
export type UnmatchedClaimPaymentView = {
  id: string;
  status: "unmatched" | "held";
  /** Why it matched no claim (unmatched) or was not posted (held), in words. */
  reason: string;
  /** CLP01 as the payer wrote it. */
  patientControlNumber: string;
  /** NM1*QC as the payer wrote it ("DOE, JANE"). */
  patientName: string | null;
  statusCode: string;
  statusDescription: string;
  chargeAmount: number;
  paidAmount: number;
  patientResponsibility: number | null;
  payerClaimControlNumber: string | null;
  /** The claim it is matched to (held ones). */
  claim: { id: string; displayNumber: string } | null;
  /** Unmatched ones: the claim of this clinic that CLP01 names, when there is one, with its patient ("First Last"). */
  namedClaim: { id: string; displayNumber: string; patientName: string } | null;
  /** Unmatched because the payer's patient is clearly not the claim's: matching it by hand needs staff to confirm. */
  nameMismatch: boolean;
  remittance: {
    id: string;
    traceNumber: string;
    payerName: string;
    /** Our payer; null when the payment's payer id is none of the clinic's. */
    payer: { id: string; name: string } | null;
    paidOn: string | null;
    /** The whole payment does not add up: nothing of it is posted until that is sorted out. */
    needsReview: boolean;
    receivedAt: string;
  };
};

export type UnmatchedClaimPaymentsPage = { payments: UnmatchedClaimPaymentView[]; nextCursor: string | null };

type Row = {
  id: string;
  status: "unmatched" | "held";
  unmatchedReason: string | null;
  heldReason: string | null;
  patientControlNumber: string;
  patientName: string | null;
  statusCode: string;
  chargeAmount: number;
  paidAmount: number;
  patientResponsibility: number | null;
  payerClaimControlNumber: string | null;
  claimId: string | null;
  claimNumber: number | null;
  namedClaimId: string | null;
  namedClaimNumber: number | null;
  namedFirstName: string | null;
  namedLastName: string | null;
  remittanceId: string;
  traceNumber: string;
  payerName: string;
  payerId: string | null;
  ourPayerName: string | null;
  paidOn: Date | null;
  remittanceStatus: string;
  receivedAt: Date;
};

/**
 * The clinic's unmatched and held claim payments, newest payment first (then in the payment's
 * order), in keyset pages (cursor: the last row's id). One query.
 */
export async function listUnmatchedClaimPayments(db: Db | Tx, options: TListUnmatchedOptions): Promise<UnmatchedClaimPaymentsPage> {
  const { organizationId, cursor, limit } = ZListUnmatchedOptions.parse(options);
  const rows = await sqlOf(db).query<Row>(sql`
    WITH cursor_row AS (
      SELECT r.created_at, rc.position, rc.id FROM remittance_claims rc JOIN remittances r ON r.id = rc.remittance_id
      WHERE rc.id = ${cursor ?? null}::uuid AND rc.organization_id = ${organizationId}::uuid
    )
    SELECT rc.id, rc.status, rc.unmatched_reason AS "unmatchedReason", rc.held_reason AS "heldReason",
           rc.patient_control_number AS "patientControlNumber", rc.patient_name AS "patientName", rc.status_code AS "statusCode",
           rc.charge_amount AS "chargeAmount", rc.paid_amount AS "paidAmount", rc.patient_responsibility AS "patientResponsibility",
           rc.payer_claim_control_number AS "payerClaimControlNumber", c.id AS "claimId", c.number AS "claimNumber",
           nc.id AS "namedClaimId", nc.number AS "namedClaimNumber", np.first_name AS "namedFirstName", np.last_name AS "namedLastName",
           r.id AS "remittanceId", r.trace_number AS "traceNumber", r.payer_name AS "payerName", py.id AS "payerId", py.name AS "ourPayerName",
           r.paid_on AS "paidOn", r.status AS "remittanceStatus", r.created_at AS "receivedAt"
    FROM remittance_claims rc
    JOIN remittances r ON r.id = rc.remittance_id
    LEFT JOIN payers py ON py.id = r.payer_id
    LEFT JOIN claims c ON c.id = rc.claim_id
    -- The claim CLP01 names (parseClaimNumber's CLM-<6 to 9 digits>), for an unmatched one.
    LEFT JOIN claims nc ON rc.status = 'unmatched' AND nc.organization_id = rc.organization_id
      AND nc.number = substring(upper(btrim(rc.patient_control_number)) FROM '^CLM-([0-9]{6,9})$')::int
    LEFT JOIN patients np ON np.id = nc.patient_id
    WHERE rc.organization_id = ${organizationId}::uuid
      AND rc.status IN ('unmatched', 'held')
      AND (NOT EXISTS (SELECT 1 FROM cursor_row)
           OR (r.created_at, -rc.position, rc.id) < (SELECT created_at, -position, id FROM cursor_row))
    ORDER BY r.created_at DESC, rc.position ASC, rc.id DESC
    LIMIT ${limit + 1}::int`);
  const page = rows.slice(0, limit);
  return {
    payments: page.map((row) => ({
      id: row.id,
      status: row.status,
      reason:
        (row.status === "held" ? row.heldReason : row.unmatchedReason) ??
        (row.status === "held" ? "Not posted (no reason was kept)." : "Matched no claim of this clinic."),
      patientControlNumber: row.patientControlNumber,
      patientName: row.patientName,
      statusCode: row.statusCode,
      statusDescription: describeRemittanceCode(CLAIM_PAYMENT_STATUS_CODES, row.statusCode, "Claim status"),
      chargeAmount: row.chargeAmount,
      paidAmount: row.paidAmount,
      patientResponsibility: row.patientResponsibility,
      payerClaimControlNumber: row.payerClaimControlNumber,
      claim: row.claimId && row.claimNumber !== null ? { id: row.claimId, displayNumber: formatClaimNumber(row.claimNumber) } : null,
      namedClaim:
        row.namedClaimId && row.namedClaimNumber !== null
          ? { id: row.namedClaimId, displayNumber: formatClaimNumber(row.namedClaimNumber), patientName: `${row.namedFirstName} ${row.namedLastName}` }
          : null,
      nameMismatch: row.status === "unmatched" && (row.unmatchedReason ?? "").startsWith(PATIENT_NAME_MISMATCH),
      remittance: {
        id: row.remittanceId,
        traceNumber: row.traceNumber,
        payerName: row.payerName,
        payer: row.payerId && row.ourPayerName ? { id: row.payerId, name: row.ourPayerName } : null,
        paidOn: toIsoDate(row.paidOn),
        needsReview: row.remittanceStatus === "needs_review",
        receivedAt: row.receivedAt.toISOString(),
      },
    })),
    nextCursor: rows.length > limit ? page.at(-1)!.id : null,
  };
}

/** The outcome of matching or posting by hand, in words for staff. */
export type HandPostingResult = {
  /** posted (or reversed / a duplicate: posting said so); held: posting refused, the reason kept; matched: matched, its payment waits for review. */
  outcome: "posted" | "held" | "matched";
  claimId: string;
  message: string;
};

export const ZClaimNumberInput = z.strictObject({
  claimNumber: z.string().trim().min(1, "Enter the claim number (CLM-000123).").max(38, "That is not a claim number."),
});

/** The claim of this clinic with that number (CLM-000123 or 123), or a refusal on the field. */
export async function findClaimIdByNumber(db: Db | Tx, options: { organizationId: string; claimNumber: string }): Promise<string> {
  const { claimNumber } = ZClaimNumberInput.parse({ claimNumber: options.claimNumber });
  const refuse = (message: string): never => {
    throw new AppError("VALIDATION_FAILED", message, { fields: { claimNumber: [message] } });
  };
  const number = parseClaimNumber(claimNumber);
  if (number === null) return refuse(`"${claimNumber}" is not a claim number (CLM-000123).`);
  const claim = await db.claim.findFirst({ where: { organizationId: options.organizationId, number }, select: { id: true } });
  return claim?.id ?? refuse(`${formatClaimNumber(number)} is not a claim of this clinic.`);
}

/**
 * Matches an unmatched claim payment to a claim by hand, then posts it. The match, in one
 * transaction: the claim must be this clinic's, sent (not draft or ready) and billed to the
 * payment's payer when the payment's payer is known; the payment's lines are matched to the claim's
 * lines as on import (matchLine); the claim payment becomes `matched`; a claim event and an audit
 * event record who matched it. When the payer's patient name (NM1*QC) is clearly not the claim's
 * patient's (comparePersonNames), the match is refused on `confirmNameMismatch` until staff confirm
 * it is the same person; the audit event keeps that they did. Then it is posted in a transaction of its own (postClaimPaymentAgain):
 * when posting refuses, it stays matched but `held` with the refusal, and the result says so. A
 * payment that does not add up (needs review) is only matched.
 */
export async function matchClaimPaymentByHand(
  db: Db,
  options: {
    organizationId: string;
    remittanceClaimId: string;
    claimId: string;
    actor: AuditActor;
    /** Staff checked that a payment whose patient name differs from the claim's is for this claim. */
    confirmNameMismatch?: boolean;
    now?: Date;
  },
): Promise<HandPostingResult> {
  const { organizationId, remittanceClaimId, claimId, actor } = options;
  const now = options.now ?? new Date();
  const matched = await db.$transaction(async (tx) => {
    const [locked] = await sqlOf(tx).query<{ status: string }>(
      sql`SELECT status FROM remittance_claims WHERE id = ${remittanceClaimId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`,
    );
    if (!locked) throw new AppError("NOT_FOUND", "Claim payment not found.");
    if (locked.status !== "unmatched") throw new AppError("CONFLICT", `This claim payment is ${locked.status}: only an unmatched one is matched by hand.`);
    const payment = await tx.remittanceClaim.findUniqueOrThrow({
      where: { id: remittanceClaimId },
      select: {
        patientControlNumber: true,
        patientName: true,
        unmatchedReason: true,
        remittance: { select: { status: true, payerId: true, traceNumber: true, payer: { select: { name: true, payerId: true } } } },
        lines: {
          orderBy: { position: "asc" },
          select: {
            id: true,
            procedureCode: true,
            modifiers: true,
            originalProcedureCode: true,
            originalModifiers: true,
            chargeAmount: true,
            serviceDate: true,
          },
        },
      },
    });
    const claim = await tx.claim.findFirst({
      where: { id: claimId, organizationId },
      select: {
        id: true,
        number: true,
        status: true,
        payerId: true,
        payer: { select: { name: true, payerId: true } },
        patient: { select: { firstName: true, lastName: true } },
        lines: { orderBy: { position: "asc" }, select: { id: true, procedureCode: true, modifiers: true, chargeAmount: true, serviceDate: true } },
      },
    });
    if (!claim)
      throw new AppError("NOT_FOUND", "That claim is not one of this clinic's.", { fields: { claimNumber: ["That claim is not one of this clinic's."] } });
    const number = formatClaimNumber(claim.number);
    const refuse = (message: string): never => {
      throw new AppError("CONFLICT", message, { fields: { claimNumber: [message] } });
    };
    if (claim.status === "draft" || claim.status === "ready")
      refuse(`${number} has not been sent to the payer yet (it is ${claim.status}): a payment cannot be for it.`);
    const { remittance } = payment;
    if (remittance.payerId && remittance.payer && claim.payerId !== remittance.payerId) {
      refuse(
        `${number} was billed to ${claim.payer.name} (payer ${claim.payer.payerId}), but this payment comes from ${remittance.payer.name} (payer ${remittance.payer.payerId}).`,
      );
    }
    const nameMismatch = payment.patientName !== null && comparePersonNames(parseStoredName(payment.patientName), claim.patient) === "mismatch";
    if (nameMismatch && options.confirmNameMismatch !== true) {
      const message = `The payer's patient is ${payment.patientName}, but ${number} is for ${claim.patient.firstName} ${claim.patient.lastName}. Confirm it is the same person to match it.`;
      throw new AppError("CONFLICT", message, { fields: { confirmNameMismatch: [message] } });
    }
    const used = new Set<string>();
    const lineMatches = payment.lines.map((line) => ({
      id: line.id,
      claimLineId: matchLine(
        claim,
        {
          code: line.originalProcedureCode ?? line.procedureCode,
          modifiers: line.originalProcedureCode ? line.originalModifiers : line.modifiers,
          chargeAmount: line.chargeAmount,
          serviceDate: toIsoDate(line.serviceDate),
        },
        used,
      ),
    }));
    for (const line of lineMatches) await tx.remittanceLine.update({ where: { id: line.id }, data: { claimLineId: line.claimLineId } });
    await tx.remittanceClaim.update({ where: { id: remittanceClaimId }, data: { claimId: claim.id, status: "matched", unmatchedReason: null } });
    const linesMatched = lineMatches.filter((line) => line.claimLineId !== null).length;
    const message =
      `Payment ${remittance.traceNumber} (CLP01 "${payment.patientControlNumber}") matched to this claim by hand; ${linesMatched} of ${lineMatches.length} service lines matched its lines.` +
      (nameMismatch ? ` The payer names the patient ${payment.patientName}: staff confirmed it is this claim's patient.` : "");
    await recordClaimEvent(tx, { organizationId, claimId: claim.id, status: claim.status, kind: "remittance_matched_by_hand", actor, message, now });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "remittance.claim_payment_matched",
      target: { type: "remittance_claim", id: remittanceClaimId },
      before: { status: "unmatched", unmatchedReason: payment.unmatchedReason },
      after: { status: "matched", claimId: claim.id, linesMatched, ...(nameMismatch ? { patientNameMismatchConfirmed: true } : {}) },
    });
    return { number, needsReview: remittance.status === "needs_review" };
  });
  if (matched.needsReview) {
    return {
      outcome: "matched",
      claimId,
      message: `Matched to ${matched.number}. The payment it is in does not add up, so nothing of it is posted until that is sorted out.`,
    };
  }
  const posted = await postHeld(db, { organizationId, remittanceClaimId, actor, now });
  return { ...posted, message: `Matched to ${matched.number}. ${posted.message}` };
}

/**
 * Posts a held claim payment again once staff fixed what held it (postClaimPaymentAgain). When
 * posting still refuses, the claim payment stays held with the new reason and the result says so.
 */
export async function postHeldClaimPayment(
  db: Db,
  options: { organizationId: string; remittanceClaimId: string; actor: AuditActor; now?: Date },
): Promise<HandPostingResult> {
  const row = await db.remittanceClaim.findFirst({
    where: { id: options.remittanceClaimId, organizationId: options.organizationId },
    select: { status: true },
  });
  if (!row) throw new AppError("NOT_FOUND", "Claim payment not found.");
  if (row.status !== "held") throw new AppError("CONFLICT", `This claim payment is ${row.status}: only a held one is posted again here.`);
  return postHeld(db, { ...options, now: options.now ?? new Date() });
}

async function postHeld(db: Db, options: { organizationId: string; remittanceClaimId: string; actor: AuditActor; now: Date }): Promise<HandPostingResult> {
  try {
    const { message } = await postClaimPaymentAgain(db, options);
    const { claimId } = await db.remittanceClaim.findUniqueOrThrow({ where: { id: options.remittanceClaimId }, select: { claimId: true } });
    return { outcome: "posted", claimId: claimId!, message };
  } catch (error) {
    if (!(error instanceof AppError))
      logger.error({ err: error, remittanceClaimId: options.remittanceClaimId }, "remittance: posting a claim payment by hand failed");
    const reason =
      error instanceof AppError
        ? error.message
        : "Carebill could not post this claim payment because of an error on its side (logged); nothing of it was posted. Try posting it again.";
    const held = await db.remittanceClaim.update({
      where: { id: options.remittanceClaimId },
      data: { status: "held", heldReason: reason.slice(0, 500) },
      select: { claimId: true },
    });
    return { outcome: "held", claimId: held.claimId!, message: `Not posted: ${reason}` };
  }
}
