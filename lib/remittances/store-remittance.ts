import { randomUUID } from "node:crypto";
import type { ImportSummaryLine } from "@/lib/clearinghouse/clearinghouse.types";
import { formatClaimNumber, parseClaimNumber } from "@/lib/claims/claim-number";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { wallClockParts } from "@/lib/dates/format-date";
import { fromIsoDate, toIsoDate } from "@/lib/invoices/dates";
import { formatMoney } from "@/lib/money/currency";
import { check835Balance, type Imbalance835 } from "@/lib/x12/check-835-balance";
import { read835, type Adjustment835, type ClaimPayment835, type Read835Result, type Remittance835 } from "@/lib/x12/read-835";
import { CLAIM_PAYMENT_STATUS_CODES, PAYMENT_METHOD_CODES, describeRemittanceCode } from "@/lib/x12/remittance-codes";
import { checkPatientName, type ClaimPeople } from "./check-patient-name";

/** What storing one 835 file did: per payment (transaction set) its row, or the earlier row when the same payment was stored before. */
export type StoredRemittance = { remittanceId: string; status: "received" | "needs_review" | "posted"; alreadyStored: boolean };
export type StoreRemittanceResult = { remittances: StoredRemittance[]; summary: ImportSummaryLine[] };

/** A stored imbalance: where the 835's arithmetic fails, in words. */
export type StoredImbalance = Pick<Imbalance835, "kind" | "patientControlNumber" | "lineNumber" | "message">;

type OurClaim = {
  id: string;
  number: number;
  status: string;
  payerId: string;
  payer: { name: string; payerId: string };
  lines: { id: string; procedureCode: string; modifiers: string[]; chargeAmount: number; serviceDate: Date; serviceDateEnd: Date | null }[];
};

type Context = {
  tx: Tx;
  organizationId: string;
  practiceNpi: string | null;
  payer: { id: string; name: string; payerId: string } | null;
  payeeNpi: string | null;
  /** The clinic's claims the payment's CLP01s name, read in one query (a payer's file may hold a thousand). */
  claimsByNumber: Map<number, OurClaim & ClaimPeople>;
};

const dollars = (cents: number) => formatMoney(cents, "USD");
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
/** A code's meaning inside a sentence: "Check" → "check", "Automated clearing house (ACH) transfer" keeps its ACH. */
const inSentence = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

function refuse(message: string): never {
  throw new AppError("VALIDATION_FAILED", message, { fields: { content: [message] } });
}

/** A value the 835 guide bounds, refused in words when longer than its column rather than cut (it identifies something). */
function bounded(value: string, max: number, what: string): string {
  if (value.length > max) refuse(`${what} reads "${value.slice(0, 60)}…", longer than the ${max} characters the 835 guide allows.`);
  return value;
}

const boundedOrNull = (value: string | null, max: number, what: string) => (value === null ? null : bounded(value, max, what));

/** A name, shown only: cut to its column. */
const name = (value: string, max: number) => value.slice(0, max);

/** A quantity (units) that fits DECIMAL(p, 3); anything larger is not a real count of services. */
function units(value: number, max: number, what: string): string {
  if (!Number.isFinite(value) || Math.abs(value) >= max) refuse(`${what} reads ${value}, which is not a number of units Carebill can store.`);
  return value.toFixed(3);
}

/**
 * Stores each payment (transaction set) of an imported 835 as remittance rows, in the caller's
 * transaction (the import's, with the stored file): the payment, each claim payment (CLP) matched
 * to this clinic's claim by CLP01 (our claim number), each service line (SVC) matched to a claim
 * line, every adjustment (CAS) where the payer put it (claim level stays claim level), and the
 * provider-level adjustments (PLB). Nothing is posted: no claim, invoice or journal changes.
 *
 * - A payment that does not add up (check835Balance) is stored as `needs_review` with its imbalances
 *   in words; one that does is `received`.
 * - The payer is ours when N1*PR REF*2U, else TRN03, is one of the clinic's payer ids.
 * - A claim payment matches only a claim of this clinic that was sent, billed to this payer (when the
 *   payer is known) by this clinic's NPI (when the 835 names the payee's NPI), for a patient whose
 *   name is not clearly another's (checkPatientName); otherwise it is `unmatched`, with why in words.
 * - A line matches the claim line with the same procedure code (SVC06 when the payer paid another
 *   code), modifiers, date of service and charge; failing that, the same code, date and charge when
 *   the payer dropped a modifier; otherwise none.
 * - The same payment again (same TRN03, TRN02 and amount) stores nothing new and says so.
 */
export async function storeRemittance(
  tx: Tx,
  options: { organizationId: string; clearinghouseFileId: string; content: string },
): Promise<StoreRemittanceResult> {
  const { organizationId, clearinghouseFileId } = options;
  const read = read835(options.content);
  const practice = await tx.practiceProfile.findUnique({ where: { organizationId }, select: { npi: true } });
  const { timezone } = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true } });
  const result: StoreRemittanceResult = { remittances: [], summary: [] };
  if (read.remittances.length === 0) result.summary.push({ message: "The 835 holds no payment; nothing was stored." });

  for (const set of read.remittances) {
    const totalAmount = set.payment.creditDebit === "D" ? -set.payment.totalCents : set.payment.totalCents;
    const traceNumber = bounded(set.trace.number, 50, `Payment ${set.trace.number}: TRN02 (the trace number)`);
    const traceOriginatorId = bounded(set.trace.payerId, 10, `Payment ${set.trace.number}: TRN03 (the payer's identifier)`);
    const earlier = await tx.remittance.findUnique({
      where: { organizationId_traceOriginatorId_traceNumber_totalAmount: { organizationId, traceOriginatorId, traceNumber, totalAmount } },
      select: { id: true, status: true, createdAt: true, clearinghouseFile: { select: { fileName: true } } },
    });
    if (earlier) {
      result.remittances.push({ remittanceId: earlier.id, status: earlier.status, alreadyStored: true });
      const stored = wallClockParts(earlier.createdAt, timezone);
      result.summary.push({
        message: `Payment ${traceNumber} from ${set.payer.name} (${dollars(totalAmount)}) was already stored from file ${earlier.clearinghouseFile.fileName} on ${stored.year}-${stored.month}-${stored.day}; nothing new was stored.`,
      });
      continue;
    }
    result.remittances.push(
      await storeOne(tx, { organizationId, clearinghouseFileId, practiceNpi: practice?.npi ?? null, read, set, totalAmount }, result.summary),
    );
  }
  return result;
}

async function storeOne(
  tx: Tx,
  options: { organizationId: string; clearinghouseFileId: string; practiceNpi: string | null; read: Read835Result; set: Remittance835; totalAmount: number },
  summary: ImportSummaryLine[],
): Promise<StoredRemittance> {
  const { organizationId, set, totalAmount } = options;
  const imbalances: StoredImbalance[] = check835Balance({ ...options.read, remittances: [set] }).map(({ kind, patientControlNumber, lineNumber, message }) => ({
    kind,
    patientControlNumber,
    lineNumber,
    message,
  }));
  const status = imbalances.length > 0 ? "needs_review" : "received";
  const payer = await findPayer(tx, organizationId, set);
  const remittanceId = randomUUID();
  await tx.remittance.create({
    data: {
      id: remittanceId,
      organizationId,
      clearinghouseFileId: options.clearinghouseFileId,
      transactionSetControlNumber: bounded(set.controlNumber, 9, "ST02 (the transaction set control number)"),
      payerId: payer?.id ?? null,
      payerName: name(set.payer.name, 60),
      payerIdentifier: boundedOrNull(set.payer.payerId, 80, `Payment ${set.trace.number}: REF*2U (the payer's id)`),
      traceOriginatorId: set.trace.payerId,
      traceNumber: set.trace.number,
      totalAmount,
      handlingCode: bounded(set.payment.handlingCode, 2, "BPR01"),
      paymentMethod: bounded(set.payment.methodCode, 3, "BPR04"),
      paidOn: set.payment.date ? fromIsoDate(set.payment.date) : null,
      producedOn: set.productionDate ? fromIsoDate(set.productionDate) : null,
      payeeName: name(set.payee.name, 60),
      payeeNpi: boundedOrNull(set.payee.npi, 10, "The payee's NPI (N1*PE)"),
      status,
      imbalances,
    },
  });

  const context: Context = {
    tx,
    organizationId,
    practiceNpi: options.practiceNpi,
    payer,
    payeeNpi: set.payee.npi,
    claimsByNumber: await claimsNamedIn(tx, organizationId, set.claims),
  };
  const claimRows: Prisma.RemittanceClaimCreateManyInput[] = [];
  const lineRows: Prisma.RemittanceLineCreateManyInput[] = [];
  const adjustmentRows: Prisma.RemittanceAdjustmentCreateManyInput[] = [];
  const claimSummaries: ImportSummaryLine[] = [];
  let matchedCount = 0;
  for (const [index, payment] of set.claims.entries()) {
    const match = matchClaim(context, payment);
    const remittanceClaimId = randomUUID();
    claimRows.push({
      id: remittanceClaimId,
      organizationId,
      remittanceId,
      claimId: match.claim?.id ?? null,
      position: index + 1,
      patientControlNumber: bounded(payment.patientControlNumber, 38, `Claim ${payment.patientControlNumber}: CLP01`),
      statusCode: bounded(payment.statusCode, 2, `Claim ${payment.patientControlNumber}: CLP02`),
      chargeAmount: payment.chargeCents,
      paidAmount: payment.paidCents,
      patientResponsibility: payment.patientResponsibilityCents,
      filingIndicator: bounded(payment.filingIndicator, 2, `Claim ${payment.patientControlNumber}: CLP06`),
      payerClaimControlNumber: boundedOrNull(payment.payerClaimControlNumber, 50, `Claim ${payment.patientControlNumber}: CLP07`),
      facilityCode: boundedOrNull(payment.facilityCode, 2, `Claim ${payment.patientControlNumber}: CLP08`),
      frequencyCode: boundedOrNull(payment.frequencyCode, 1, `Claim ${payment.patientControlNumber}: CLP09`),
      patientName: payment.patient ? name([payment.patient.lastName, payment.patient.firstName].filter(Boolean).join(", "), 120) : null,
      remarkCodes: payment.remarkCodes,
      status: match.claim ? "matched" : "unmatched",
      unmatchedReason: match.reason,
    });
    if (match.claim) matchedCount++;
    const usedLines = new Set<string>();
    let adjustmentPosition = 0;
    const adjustmentRow = (adjustment: Adjustment835, remittanceLineId: string | null) => ({
      organizationId,
      remittanceClaimId,
      remittanceLineId,
      position: ++adjustmentPosition,
      groupCode: adjustment.groupCode,
      reasonCode: bounded(adjustment.reasonCode, 5, `Claim ${payment.patientControlNumber}: a CAS reason code`),
      amount: adjustment.amountCents,
      quantity: adjustment.quantity === null ? null : units(adjustment.quantity, 1e12, `Claim ${payment.patientControlNumber}: a CAS quantity`),
    });
    for (const adjustment of payment.adjustments) adjustmentRows.push(adjustmentRow(adjustment, null));
    for (const line of payment.serviceLines) {
      const remittanceLineId = randomUUID();
      const billed = line.originalProcedure ?? line.procedure;
      const claimLineId = match.claim
        ? matchLine(
            match.claim,
            { code: billed.code, modifiers: billed.modifiers, chargeAmount: line.chargeCents, serviceDate: line.serviceDateFrom ?? payment.statementFrom },
            usedLines,
          )
        : null;
      const where = `Claim ${payment.patientControlNumber}, service line ${line.lineNumber}`;
      lineRows.push({
        id: remittanceLineId,
        organizationId,
        remittanceClaimId,
        claimLineId,
        position: line.lineNumber,
        procedureQualifier: bounded(line.procedure.qualifier, 2, `${where}: SVC01-1`),
        procedureCode: bounded(line.procedure.code, 48, `${where}: SVC01-2 (the procedure code)`),
        modifiers: line.procedure.modifiers,
        chargeAmount: line.chargeCents,
        paidAmount: line.paidCents,
        allowedAmount: line.allowedCents,
        units: units(line.units, 1e7, `${where}: SVC05 (units)`),
        originalProcedureCode: line.originalProcedure ? bounded(line.originalProcedure.code, 48, `${where}: SVC06-2`) : null,
        originalModifiers: line.originalProcedure?.modifiers ?? [],
        serviceDate: line.serviceDateFrom ? fromIsoDate(line.serviceDateFrom) : null,
        serviceDateEnd: line.serviceDateTo ? fromIsoDate(line.serviceDateTo) : null,
        lineItemControlNumber: boundedOrNull(line.lineItemControlNumber, 50, `${where}: REF*6R`),
        remarkCodes: line.remarkCodes,
      });
      for (const adjustment of line.adjustments) adjustmentRows.push(adjustmentRow(adjustment, remittanceLineId));
    }
    claimSummaries.push({ ...(match.claim ? { claimId: match.claim.id } : {}), message: describeClaimPayment(payment, match) });
  }
  if (claimRows.length > 0) await tx.remittanceClaim.createMany({ data: claimRows });
  if (lineRows.length > 0) await tx.remittanceLine.createMany({ data: lineRows });
  if (adjustmentRows.length > 0) await tx.remittanceAdjustment.createMany({ data: adjustmentRows });
  if (set.providerAdjustments.length > 0)
    await tx.remittanceProviderAdjustment.createMany({
      data: set.providerAdjustments.map((adjustment, index) => ({
        organizationId,
        remittanceId,
        position: index + 1,
        providerId: bounded(adjustment.providerId, 50, "PLB01 (the provider id)"),
        fiscalPeriodDate: adjustment.fiscalPeriodDate ? fromIsoDate(adjustment.fiscalPeriodDate) : null,
        reasonCode: adjustment.reasonCode,
        reference: boundedOrNull(adjustment.reference, 50, "A PLB reference"),
        amount: adjustment.amountCents,
      })),
    });

  const method = inSentence(describeRemittanceCode(PAYMENT_METHOD_CODES, set.payment.methodCode, "Payment method"));
  const payerWords = payer
    ? `${set.payer.name} (payer ${payer.payerId})`
    : `${set.payer.name} (not matched to a payer of this clinic: none has the id ${describePayerIds(set)})`;
  const plb = set.providerAdjustments.reduce((sum, adjustment) => sum + adjustment.amountCents, 0);
  summary.push({
    message:
      `Payment ${set.trace.number} from ${payerWords}: ${dollars(totalAmount)} by ${method}${set.payment.date ? ` on ${set.payment.date}` : ""}, ` +
      `${plural(set.claims.length, "claim")} (${matchedCount} matched to this clinic's claims)` +
      (plb !== 0 ? `, provider adjustments ${plb > 0 ? `keep back ${dollars(plb)}` : `add ${dollars(-plb)}`}` : "") +
      (status === "needs_review"
        ? `. It does not add up, so it is held for review and nothing from it will be posted until it is sorted out (${plural(imbalances.length, "problem")} below).`
        : ". Stored."),
  });
  for (const imbalance of imbalances) summary.push({ message: `Does not add up: ${imbalance.message}` });
  summary.push(...claimSummaries);
  return { remittanceId, status, alreadyStored: false };
}

function describePayerIds(set: Remittance835): string {
  const ids = [set.payer.payerId ? `${set.payer.payerId} (REF*2U)` : null, `${set.trace.payerId} (TRN03)`].filter(Boolean);
  return ids.join(" or ");
}

async function findPayer(tx: Tx, organizationId: string, set: Remittance835): Promise<Context["payer"]> {
  const ids = [set.payer.payerId, set.trace.payerId].filter((id): id is string => id !== null && id !== "");
  const payers = await tx.payer.findMany({ where: { organizationId, payerId: { in: ids } }, select: { id: true, name: true, payerId: true } });
  // REF*2U names the payer outright; TRN03 only when REF*2U is absent or not ours.
  return ids.map((id) => payers.find((payer) => payer.payerId === id)).find((payer) => payer !== undefined) ?? null;
}

type ClaimMatch = { claim: OurClaim; reason: null } | { claim: null; reason: string };

/** The clinic's claims whose numbers the claim payments' CLP01 give, by number. */
async function claimsNamedIn(tx: Tx, organizationId: string, payments: readonly ClaimPayment835[]): Promise<Context["claimsByNumber"]> {
  const numbers = [...new Set(payments.map((payment) => parseClaimNumber(payment.patientControlNumber)).filter((number) => number !== null))];
  if (numbers.length === 0) return new Map();
  const claims = await tx.claim.findMany({
    where: { organizationId, number: { in: numbers } },
    select: {
      id: true,
      number: true,
      status: true,
      payerId: true,
      payer: { select: { name: true, payerId: true } },
      lines: {
        select: { id: true, procedureCode: true, modifiers: true, chargeAmount: true, serviceDate: true, serviceDateEnd: true },
        orderBy: { position: "asc" },
      },
      patient: { select: { firstName: true, lastName: true } },
      coverage: { select: { memberId: true, relationshipCode: true, subscriberFirstName: true, subscriberLastName: true } },
    },
  });
  return new Map(claims.map((claim) => [claim.number, claim]));
}

function matchClaim(context: Context, payment: ClaimPayment835): ClaimMatch {
  const number = parseClaimNumber(payment.patientControlNumber);
  const label = `Claim ${payment.patientControlNumber}`;
  if (number === null) return { claim: null, reason: `"${payment.patientControlNumber}" (CLP01) is not a Carebill claim number.` };
  const claim = context.claimsByNumber.get(number);
  if (!claim) return { claim: null, reason: `${label} is not a claim of this clinic.` };
  // Claim numbers start at CLM-000001 in every clinic: a payment to another practice's NPI is not ours.
  if (context.payeeNpi !== null && context.practiceNpi !== null && context.payeeNpi !== context.practiceNpi)
    return { claim: null, reason: `The payment is made to NPI ${context.payeeNpi}, not this clinic's (${context.practiceNpi}).` };
  if (claim.status === "draft" || claim.status === "ready")
    return { claim: null, reason: `${formatClaimNumber(claim.number)} has not been sent to the payer yet (it is ${claim.status}).` };
  if (context.payer && claim.payerId !== context.payer.id)
    return {
      claim: null,
      reason: `${formatClaimNumber(claim.number)} was billed to ${claim.payer.name} (payer ${claim.payer.payerId}), but this payment comes from ${context.payer.name} (payer ${context.payer.payerId}).`,
    };
  const nameMismatch = checkPatientName(payment, claim);
  if (nameMismatch) return { claim: null, reason: nameMismatch };
  return { claim, reason: null };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, index) => value === b[index]);

/** A service line as the payer billed it back: the code and modifiers as billed (SVC06 when the payer paid another code), charge, date of service (the claim's statement date when the line has none; null when neither is sent). */
export type ServiceToMatch = { code: string; modifiers: readonly string[]; chargeAmount: number; serviceDate: string | null };

/**
 * The claim line an SVC pays: same code, date of service and charge; with the same modifiers, else
 * with the payer's modifiers a subset of ours (a modifier dropped). Each claim line is paid by at
 * most one SVC of a claim payment (`used` collects the lines taken). Used on import and when staff
 * match a claim payment by hand (unmatched.ts).
 */
export function matchLine(
  claim: { lines: readonly Pick<OurClaim["lines"][number], "id" | "procedureCode" | "modifiers" | "chargeAmount" | "serviceDate">[] },
  service: ServiceToMatch,
  used: Set<string>,
): string | null {
  const candidates = claim.lines.filter(
    (claimLine) =>
      !used.has(claimLine.id) &&
      claimLine.procedureCode === service.code &&
      // A reversal (CLP02 22) repeats the lines with their amounts negated.
      claimLine.chargeAmount === Math.abs(service.chargeAmount) &&
      (service.serviceDate === null || toIsoDate(claimLine.serviceDate) === service.serviceDate),
  );
  const found =
    candidates.find((claimLine) => sameList(claimLine.modifiers, service.modifiers)) ??
    candidates.find((claimLine) => service.modifiers.every((modifier) => claimLine.modifiers.includes(modifier)));
  if (!found) return null;
  used.add(found.id);
  return found.id;
}

function describeAdjustments(adjustments: readonly Adjustment835[]): string {
  const byCode = new Map<string, number>();
  for (const adjustment of adjustments) {
    const key = `${adjustment.groupCode}-${adjustment.reasonCode}`;
    byCode.set(key, (byCode.get(key) ?? 0) + adjustment.amountCents);
  }
  return [...byCode].map(([code, cents]) => `${code} ${dollars(cents)}`).join(", ");
}

function describeClaimPayment(payment: ClaimPayment835, match: ClaimMatch): string {
  const all = [...payment.adjustments, ...payment.serviceLines.flatMap((line) => line.adjustments)];
  const patient = all.filter((adjustment) => adjustment.groupCode === "PR");
  const other = all.filter((adjustment) => adjustment.groupCode !== "PR");
  const otherTotal = other.reduce((sum, adjustment) => sum + adjustment.amountCents, 0);
  const patientTotal = payment.patientResponsibilityCents ?? patient.reduce((sum, adjustment) => sum + adjustment.amountCents, 0);
  const status = inSentence(describeRemittanceCode(CLAIM_PAYMENT_STATUS_CODES, payment.statusCode, "Claim status"));
  const parts = [
    `Claim ${payment.patientControlNumber}: ${status}. Charged ${dollars(payment.chargeCents)}, the payer paid ${dollars(payment.paidCents)}`,
    `adjusted ${dollars(otherTotal)}${other.length > 0 ? ` (${describeAdjustments(other)})` : ""}`,
    `the patient's share ${dollars(patientTotal)}${patient.length > 0 ? ` (${describeAdjustments(patient)})` : ""}.`,
  ];
  const matched = match.claim ? " Matched to the claim." : ` Not matched: ${match.reason}`;
  return parts.join(", ") + matched;
}
