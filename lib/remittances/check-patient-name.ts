import { formatClaimNumber } from "@/lib/claims/claim-number";
import type { ClaimPayment835, Party835 } from "@/lib/x12/read-835";
import { comparePersonNames, formatPayerName, normalizeMemberId, PATIENT_NAME_MISMATCH, type PersonName } from "./patient-name-match";

/** The claim a claim payment's CLP01 names, with the people on it. */
export type ClaimPeople = {
  number: number;
  patient: { firstName: string; lastName: string };
  coverage: { memberId: string; relationshipCode: string; subscriberFirstName: string | null; subscriberLastName: string | null };
};

const ourName = (person: { firstName: string | null; lastName: string }) => [person.lastName, person.firstName].filter(Boolean).join(", ");

/**
 * Why a claim payment is not for the claim its CLP01 names, judged by the people the 835 names, or
 * null when they can be the claim's (comparePersonNames: only a clear mismatch refuses).
 *
 * - NM1*QC (the patient) against the claim's patient; a corrected name the payer sent (NM1*74) that
 *   matches clears a mismatch.
 * - NM1*IL (the insured, sent when the patient is not the subscriber) against the coverage's
 *   subscriber, or the patient when self; matching either is enough.
 * - The member id (NM1*QC or IL, NM109) against the coverage's: evidence for a changed last name,
 *   and named in the reason.
 */
export function checkPatientName(payment: Pick<ClaimPayment835, "patient" | "insured" | "correctedPatient">, claim: ClaimPeople): string | null {
  const sentIds = [payment.patient?.id, payment.insured?.id].filter((id): id is string => typeof id === "string" && id.trim() !== "");
  const coverageId = normalizeMemberId(claim.coverage.memberId);
  const memberIdMatches = sentIds.length === 0 ? null : sentIds.some((id) => normalizeMemberId(id) === coverageId);
  const compare = (payer: Party835, ours: PersonName) => comparePersonNames(payer, ours, { memberIdMatches });
  const patient: PersonName = claim.patient;
  const subscriber: PersonName =
    claim.coverage.relationshipCode !== "18" && claim.coverage.subscriberLastName
      ? { lastName: claim.coverage.subscriberLastName, firstName: claim.coverage.subscriberFirstName }
      : patient;
  const number = formatClaimNumber(claim.number);
  const memberWords =
    memberIdMatches === null
      ? ""
      : memberIdMatches
        ? ` The member id sent (${sentIds.join(", ")}) is the coverage's.`
        : ` The member id sent (${sentIds.join(", ")}) is not the coverage's (${claim.coverage.memberId}).`;
  const byHand = " Match it by hand if it is the same person.";

  if (
    payment.patient &&
    compare(payment.patient, patient) === "mismatch" &&
    !(payment.correctedPatient && compare(payment.correctedPatient, patient) !== "mismatch")
  ) {
    return `${PATIENT_NAME_MISMATCH}: the payer's patient is ${formatPayerName(payment.patient)} (NM1*QC), but ${number} is for ${ourName(claim.patient)}.${memberWords}${byHand}`.slice(
      0,
      500,
    );
  }
  if (payment.insured && compare(payment.insured, subscriber) === "mismatch" && compare(payment.insured, patient) === "mismatch") {
    return `${PATIENT_NAME_MISMATCH}: the payer's insured is ${formatPayerName(payment.insured)} (NM1*IL), but ${number} is for ${ourName(claim.patient)}${
      subscriber === patient ? "" : `, insured through ${ourName(subscriber)}`
    }.${memberWords}${byHand}`.slice(0, 500);
  }
  return null;
}
