import type { Coverage, Patient } from "@/lib/db/generated/client";
import { toIsoDate } from "@/lib/invoices/dates";
import type { TClaimBatch837PInput } from "@/lib/x12/build-837p.types";

/** One claim as build837P takes it (ZClaim837P's input). */
export type TClaim837PInput = TClaimBatch837PInput["claims"][number];
export type X12Address = NonNullable<TClaim837PInput["subscriber"]["address"]>;

export const day = (date: Date) => toIsoDate(date)!;

// A value the 837P requires that the record does not have: left undefined (not an empty string) so
// the schema reports it as missing and validation says where to fill it in.
export const missing = <T>(value: T | null | undefined): T => (value ?? undefined) as T;

/** An address only when it has every part the 837P needs (line, city, state, ZIP); otherwise left out for validation to name. */
export function addressOf(row: {
  line1: string | null;
  line2?: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
}): X12Address | undefined {
  if (!row.line1 || !row.city || !row.state || !row.postalCode) return undefined;
  return { line1: row.line1, ...(row.line2 ? { line2: row.line2 } : {}), city: row.city, state: row.state, postalCode: row.postalCode };
}

export function patientAddressOf(patient: Patient): X12Address | undefined {
  return addressOf({ line1: patient.addressLine1, line2: patient.addressLine2, city: patient.city, state: patient.region, postalCode: patient.postalCode });
}

/**
 * A coverage's subscriber as the 837P carries it (2010BA, or 2330A for another payer's): the
 * patient's own record when they are the subscriber (relationship 18), else the coverage's
 * subscriber fields.
 */
export function coverageSubscriber(coverage: Coverage, patient: Patient): TClaim837PInput["subscriber"] {
  const coverageFields = {
    memberId: coverage.memberId,
    ...(coverage.groupNumber ? { groupNumber: coverage.groupNumber } : {}),
    ...(coverage.groupName ? { groupName: coverage.groupName } : {}),
  };
  if (coverage.relationshipCode === "18") {
    return {
      lastName: patient.lastName,
      firstName: patient.firstName,
      ...coverageFields,
      birthDate: patient.dateOfBirth ? day(patient.dateOfBirth) : undefined,
      sex: (patient.sex ?? undefined) as "F" | "M" | "U" | undefined,
      address: patientAddressOf(patient),
    };
  }
  return {
    lastName: missing(coverage.subscriberLastName),
    firstName: missing(coverage.subscriberFirstName),
    ...(coverage.subscriberMiddleName ? { middleName: coverage.subscriberMiddleName } : {}),
    ...coverageFields,
    birthDate: coverage.subscriberBirthDate ? day(coverage.subscriberBirthDate) : undefined,
    sex: (coverage.subscriberSex ?? undefined) as "F" | "M" | "U" | undefined,
    address: addressOf({
      line1: coverage.subscriberAddressLine1,
      line2: coverage.subscriberAddressLine2,
      city: coverage.subscriberCity,
      state: coverage.subscriberState,
      postalCode: coverage.subscriberPostalCode,
    }),
  };
}
