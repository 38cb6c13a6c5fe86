import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { importClearinghouseFile } from "@/lib/clearinghouse/import-file";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { recordVisit } from "@/lib/claims/visits";
import type { Db } from "@/lib/db/client";
import { formatAmount } from "@/lib/x12/build-837p";
import { segment, writeInterchange, type X12Segment } from "@/lib/x12/write-x12";
import { BILLING_NPI, type TestBillingClinic } from "./insurance-fixtures";

/**
 * 835 files written for tests, with every amount given by the test (in cents): the posting tests
 * need reversals, denials, claim-level adjustments and PLBs that the emulator does not write.
 * The file goes through the real import (envelope checks, read835, check835Balance).
 */
export type Test835Adjustment = { group: "CO" | "PR" | "OA" | "PI" | "CR"; reason: string; amount: number };
export type Test835Line = {
  code: string;
  modifiers?: string[];
  charge: number;
  paid: number;
  units?: number;
  date: string;
  adjustments?: Test835Adjustment[];
  remarks?: string[];
};
export type Test835Claim = {
  number: string;
  /** CLP02: 1 primary, 4 denied, 22 reversal… */
  status?: string;
  charge: number;
  paid: number;
  patient?: number;
  payerClaimNumber?: string;
  adjustments?: Test835Adjustment[];
  lines: Test835Line[];
  /** NM1*QC: the patient as the payer names them; DOE, JANE (the test clinic's insured patient) with member id W123456789 when not given. */
  patientName?: { lastName: string; firstName: string | null; memberId?: string | null };
  /** NM1*IL: the insured, when the payer sends one. */
  insuredName?: { lastName: string; firstName: string | null; memberId?: string | null };
};
export type Test835 = {
  submitterId: string;
  interchangeControlNumber: number;
  payerName?: string;
  /** REF*2U: the payer id the clinic knows the payer by. */
  payerId: string;
  trace: string;
  payeeNpi: string;
  paidOn?: string;
  claims: Test835Claim[];
  /** PLB amounts (positive: the payer keeps it back). */
  providerAdjustments?: { reason: string; amount: number }[];
  /** BPR02 as written; the sum of the claims' paid less the PLBs when not given. */
  total?: number;
};

const ymd = (day: string) => day.replaceAll("-", "");

function cas(adjustments: readonly Test835Adjustment[]): X12Segment[] {
  const byGroup = new Map<string, Test835Adjustment[]>();
  for (const adjustment of adjustments) byGroup.set(adjustment.group, [...(byGroup.get(adjustment.group) ?? []), adjustment]);
  return [...byGroup].map(([group, list]) =>
    segment(
      "CAS",
      group,
      ...list.flatMap((adjustment, index) => [adjustment.reason, formatAmount(adjustment.amount), ...(index < list.length - 1 ? [""] : [])]),
    ),
  );
}

export function build835(file: Test835): string {
  const plb = (file.providerAdjustments ?? []).reduce((sum, adjustment) => sum + adjustment.amount, 0);
  const total = file.total ?? file.claims.reduce((sum, claim) => sum + claim.paid, 0) - plb;
  const paidOn = ymd(file.paidOn ?? "2026-12-01");
  const segments: X12Segment[] = [
    segment("BPR", total !== 0 ? "I" : "H", formatAmount(Math.abs(total)), total < 0 ? "D" : "C", total !== 0 ? "ACH" : "NON", ...Array(11).fill(null), paidOn),
    segment("TRN", "1", file.trace, "1999999999"),
    segment("DTM", "405", paidOn),
    segment("N1", "PR", file.payerName ?? "EXAMPLE HEALTH PLAN"),
    segment("N3", "1 CLAIMS WAY"),
    segment("N4", "HARTFORD", "CT", "06156"),
    segment("REF", "2U", file.payerId),
    segment("PER", "BL", "PROVIDER SERVICES", "TE", "8005550100"),
    segment("N1", "PE", "EXAMPLE FAMILY CLINIC", "XX", file.payeeNpi),
    segment("LX", "1"),
  ];
  for (const claim of file.claims) {
    segments.push(
      segment(
        "CLP",
        claim.number,
        claim.status ?? "1",
        formatAmount(claim.charge),
        formatAmount(claim.paid),
        claim.patient === undefined ? null : formatAmount(claim.patient),
        "12",
        claim.payerClaimNumber ?? "PCN0000000001",
        "11",
        "1",
      ),
      ...cas(claim.adjustments ?? []),
      segment(
        "NM1",
        "QC",
        "1",
        claim.patientName?.lastName ?? "DOE",
        claim.patientName?.firstName ?? (claim.patientName ? null : "JANE"),
        null,
        null,
        null,
        ...(claim.patientName?.memberId === null ? [] : ["MI", claim.patientName?.memberId ?? "W123456789"]),
      ),
      ...(claim.insuredName
        ? [
            segment(
              "NM1",
              "IL",
              "1",
              claim.insuredName.lastName,
              claim.insuredName.firstName,
              null,
              null,
              null,
              ...(claim.insuredName.memberId ? ["MI", claim.insuredName.memberId] : []),
            ),
          ]
        : []),
    );
    for (const line of claim.lines) {
      segments.push(
        segment("SVC", ["HC", line.code, ...(line.modifiers ?? [])], formatAmount(line.charge), formatAmount(line.paid), null, String(line.units ?? 1)),
        segment("DTM", "472", ymd(line.date)),
        ...cas(line.adjustments ?? []),
        ...(line.remarks ?? []).map((code) => segment("LQ", "HE", code)),
      );
    }
  }
  for (const adjustment of file.providerAdjustments ?? [])
    segments.push(segment("PLB", file.payeeNpi, `${paidOn.slice(0, 4)}1231`, adjustment.reason, formatAmount(adjustment.amount)));
  const text = writeInterchange(
    {
      sender: { qualifier: "ZZ", id: "CAREBILLCH" },
      receiver: { qualifier: "ZZ", id: file.submitterId },
      applicationSenderCode: "CAREBILLCH",
      applicationReceiverCode: file.submitterId,
      interchangeControlNumber: file.interchangeControlNumber,
      groupControlNumber: file.interchangeControlNumber,
      functionalIdentifier: "HP",
      implementationReference: "005010X221A1",
      usage: "T",
      acknowledgmentRequested: false,
      createdAt: new Date("2026-12-01T12:00:00Z"),
    },
    [{ transactionSetId: "835", controlNumber: 1, segments }],
  );
  return text.replace("ST*835*0001*005010X221A1~", "ST*835*0001~");
}

/** One claim (99213-25 office visit at 150.00 and 36415 blood draw at 25.00 on `serviceDate`), recorded, validated and sent in an 837 batch. */
export async function submitTestClaim(db: Db, c: TestBillingClinic, serviceDate: string) {
  const visit = await recordVisit(db, {
    organizationId: c.organizationId,
    actor: c.actor,
    patientId: c.patient.id,
    input: {
      serviceDate,
      renderingProviderId: c.provider.id,
      diagnoses: ["J06.9"],
      charges: [
        { procedureCode: "99213", modifiers: ["25"], description: "Office visit", units: 1, chargeAmount: 15_000, diagnosisPointers: [1] },
        { procedureCode: "36415", description: "Blood draw", units: 1, chargeAmount: 2_500, diagnosisPointers: [1] },
      ],
    },
  });
  const claim = await createClaimFromVisit(db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
  const { problems } = await validateClaim(db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
  if (problems.length > 0) throw new Error(`submitTestClaim: ${JSON.stringify(problems)}`);
  const batch = await createClaimBatch(db, { organizationId: c.organizationId, actor: c.actor, claimIds: [claim.id], channel: "download" });
  const { content } = await db.claimBatch.findUniqueOrThrow({ where: { id: batch.id }, select: { content: true } });
  const lines = await db.claimLine.findMany({ where: { claimId: claim.id }, orderBy: { position: "asc" } });
  return { claim, content, lines };
}

let nextTestInterchange = 7_000;
let nextTestTrace = 700_000;

/**
 * Imports an 835 for these claims through the real import path (importClearinghouseFile: stored and
 * posted), from the clinic's payer unless `payerId` names another one (REF*2U).
 */
export async function importTest835(
  db: Db,
  c: TestBillingClinic,
  claims: Test835Claim[],
  extra: { trace?: string; payerId?: string; payerName?: string } = {},
) {
  const interchange = nextTestInterchange++;
  return importClearinghouseFile(db, {
    organizationId: c.organizationId,
    actor: c.actor,
    fileName: `remit-${interchange}.835`,
    content: build835({
      submitterId: c.submitterId,
      interchangeControlNumber: interchange,
      payerId: extra.payerId ?? c.payer.payerId,
      payerName: extra.payerName,
      trace: extra.trace ?? `EFT${nextTestTrace++}`,
      payeeNpi: BILLING_NPI,
      claims,
    }),
    source: "upload",
  });
}

/**
 * The usual adjudication of submitTestClaim's claim, by hand: 99213-25 charged 150.00, allowed 90.00
 * (CO-45 60.00), co-pay 25.00 (PR-3), deductible 20.00 (PR-1), coinsurance 9.00 (PR-2), paid 36.00;
 * 36415 charged 25.00, allowed 3.00 (CO-45 22.00), coinsurance 0.60, paid 2.40. The claim: charged
 * 175.00, paid 38.40, contractual 82.00, the patient's share 54.60. `sign` −1: its reversal (CLP02 22).
 */
export function usualTest835Claim(number: string, serviceDate: string, sign: 1 | -1 = 1): Test835Claim {
  const s = (cents: number) => sign * cents;
  return {
    number,
    status: sign === 1 ? "1" : "22",
    charge: s(17_500),
    paid: s(3_840),
    patient: s(5_460),
    lines: [
      {
        code: "99213",
        modifiers: ["25"],
        charge: s(15_000),
        paid: s(3_600),
        date: serviceDate,
        adjustments: [
          { group: "CO", reason: "45", amount: s(6_000) },
          { group: "PR", reason: "3", amount: s(2_500) },
          { group: "PR", reason: "1", amount: s(2_000) },
          { group: "PR", reason: "2", amount: s(900) },
        ],
      },
      {
        code: "36415",
        charge: s(2_500),
        paid: s(240),
        date: serviceDate,
        adjustments: [
          { group: "CO", reason: "45", amount: s(2_200) },
          { group: "PR", reason: "2", amount: s(60) },
        ],
      },
    ],
  };
}

/** submitTestClaim's claim wholly denied (CLP02 4, CO-29 on both lines): nothing paid, nothing owed by the patient. */
export function deniedTest835Claim(number: string, serviceDate: string): Test835Claim {
  return {
    number,
    status: "4",
    charge: 17_500,
    paid: 0,
    patient: 0,
    lines: [
      { code: "99213", modifiers: ["25"], charge: 15_000, paid: 0, date: serviceDate, adjustments: [{ group: "CO", reason: "29", amount: 15_000 }] },
      { code: "36415", charge: 2_500, paid: 0, date: serviceDate, adjustments: [{ group: "CO", reason: "29", amount: 2_500 }] },
    ],
  };
}

/** submitTestClaim's claim partly paid: the office visit paid 90.00 (CO-45 60.00), the blood draw denied (CO-97 25.00, left open on the claim). */
export function partlyPaidTest835Claim(number: string, serviceDate: string): Test835Claim {
  return {
    number,
    status: "1",
    charge: 17_500,
    paid: 9_000,
    patient: 0,
    lines: [
      { code: "99213", modifiers: ["25"], charge: 15_000, paid: 9_000, date: serviceDate, adjustments: [{ group: "CO", reason: "45", amount: 6_000 }] },
      { code: "36415", charge: 2_500, paid: 0, date: serviceDate, adjustments: [{ group: "CO", reason: "97", amount: 2_500 }] },
    ],
  };
}
