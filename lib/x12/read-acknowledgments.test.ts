import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { read277CA } from "./read-277ca";
import { read999 } from "./read-999";

const sample = (name: string) => readFileSync(fileURLToPath(new URL(`./__fixtures__/imsweb/samples/${name}`, import.meta.url)), "utf8");
const ACCEPTED_999 = sample("837_5010__x12_999_accepted.txt");
const REJECTED_999 = sample("837_5010__x12_999_rejected.txt");
const ACCEPTED_277 = sample("277_5010__x12_277CA_accepted.txt");
const REJECTED_277 = sample("277_5010__x12_277CA_rejected.txt");

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("read999", () => {
  it("accepted: the group and its one transaction set accepted; the sample's IEA02 slip is noted, not fatal", () => {
    const result = read999(ACCEPTED_999);
    expect(result).toMatchObject({ senderId: "12345", receiverId: "987654321", interchangeControlNumber: "000000286" });
    expect(result.acknowledgments).toEqual([
      {
        functionalIdentifier: "HC",
        groupControlNumber: "17456",
        version: "005010X223A2",
        outcome: "accepted",
        status: { code: "A", meaning: "Accepted" },
        transactionSetsIncluded: 1,
        transactionSetsReceived: 1,
        transactionSetsAccepted: 1,
        groupErrors: [],
        transactionSets: [
          {
            transactionSetId: "837",
            controlNumber: "0001",
            implementationReference: "005010X223A2",
            outcome: "accepted",
            status: { code: "A", meaning: "Accepted" },
            errors: [],
            segmentErrors: [],
            problems: [],
          },
        ],
      },
    ]);
    expect(result.notes).toEqual(["IEA02 (000000001) does not match ISA13 (000000286)."]);
  });

  it("rejected: the transaction set rejected with its segment error in words", () => {
    const [acknowledgment] = read999(REJECTED_999).acknowledgments;
    expect(acknowledgment).toMatchObject({ groupControlNumber: "28", outcome: "rejected", transactionSetsAccepted: 0 });
    expect(acknowledgment?.transactionSets).toEqual([
      {
        transactionSetId: "837",
        controlNumber: "0028",
        implementationReference: null,
        outcome: "rejected",
        status: { code: "R", meaning: "Rejected" },
        errors: [{ code: "5", meaning: "One or more segments in error" }],
        segmentErrors: [{ segmentId: "NM", position: 17, loopId: null, error: { code: "1", meaning: "Unrecognized segment ID" }, elementErrors: [] }],
        problems: ["Transaction set 0028: One or more segments in error (code 5).", "Segment NM at position 17: Unrecognized segment ID (code 1)."],
      },
    ]);
  });

  it("reads element errors (IK4) and accepted-with-errors sets", () => {
    const text = REJECTED_999.replace("IK3*NM*17**1~", "IK3*NM1*17*2010BA*8~IK4*9|2*67*7*ABC~").replace("IK5*R*5~", "IK5*E~");
    const set = read999(text).acknowledgments[0]?.transactionSets[0];
    expect(set?.outcome).toBe("accepted_with_errors");
    expect(set?.segmentErrors[0]?.elementErrors).toEqual([
      { position: 9, component: 2, dataElementReference: "67", error: { code: "7", meaning: "Invalid code value" }, badValue: "ABC" },
    ]);
    expect(set?.problems).toEqual([
      "Segment NM1 at position 17 in loop 2010BA: Segment has data element errors (code 8).",
      'NM109-2: Invalid code value (code 7), value "ABC".',
    ]);
  });

  it("refuses a file that is not a 999, naming what it is", () => {
    expect(errorOf(() => read999(ACCEPTED_277)).message).toBe("This file holds 277 transaction sets, not a 999 acknowledgment.");
    expect(errorOf(() => read999(ACCEPTED_999.replace(/AK9[^~]*~/, ""))).message).toBe(
      "This 999 has no AK9 segment, so it does not say whether the group was accepted.",
    );
    expect(errorOf(() => read999(ACCEPTED_999.replace("IK5*A~", ""))).message).toBe(
      "The AK2 for transaction set 0001 has no IK5 saying whether it was accepted.",
    );
    expect(errorOf(() => read999(ACCEPTED_999.replace("IK5*A~", "IK5*Q~"))).message).toBe(
      'IK5-01 is "Q", which is not a transaction set acknowledgment code (A, E, M, R, W or X).',
    );
    expect(errorOf(() => read999("not edi")).code).toBe("VALIDATION_FAILED");
  });
});

describe("read277CA", () => {
  it("accepted: the claim by its patient control number, accepted into adjudication, with the payer's claim number", () => {
    const result = read277CA(ACCEPTED_277);
    expect(result.batchReference).toBe("000000674");
    expect(result.batchStatuses.map((status) => `${status.categoryCode}:${status.statusCode}`)).toEqual(["A1:20"]);
    expect(result.providerStatuses).toEqual([{ npi: "1234567890", statuses: [] }]);
    expect(result.claims).toEqual([
      {
        patientControlNumber: "5781",
        payerClaimControlNumber: "1107000000014420",
        clearinghouseTraceNumber: null,
        patientLastName: "TPATIENT",
        patientFirstName: "THEBE",
        memberId: "LL99999X",
        billingProviderNpi: "1234567890",
        serviceDate: "1001-01-01",
        outcome: "accepted",
        statuses: [
          {
            categoryCode: "A2",
            category: "Acknowledgement/Acceptance into adjudication system: the claim has been accepted into the adjudication system",
            statusCode: "20",
            status: "Accepted for processing",
            entityCode: null,
            entity: null,
            effectiveDate: "2011-03-11",
            actionCode: "WQ",
            chargeCents: 12500,
          },
        ],
        serviceLines: [],
        reasons: [],
      },
    ]);
  });

  it("rejected: the claim rejected with category, status and entity in words (this file declares | as component separator)", () => {
    const [claim] = read277CA(REJECTED_277).claims;
    expect(claim).toMatchObject({
      patientControlNumber: "3920394930203",
      payerClaimControlNumber: "1107000000001120",
      outcome: "rejected",
      serviceDate: "2009-03-11",
    });
    expect(claim?.statuses[0]).toMatchObject({ categoryCode: "A7", statusCode: "562", entityCode: "85", entity: "Billing provider", chargeCents: 19914 });
    expect(claim?.reasons).toEqual([
      "Acknowledgement/Rejected for Invalid Information: the claim has invalid information as named in the status details and has been rejected: Entity's National Provider Identifier (NPI) (Billing provider) [A7:562:85]",
    ]);
  });

  it("reads line-level statuses and additional statuses (STC10), and a receipt-only claim as pending", () => {
    const text = ACCEPTED_277.replace("STC*A2:20*20110311*WQ*125~", "STC*A1:19*20110311**125******A0:16~").replace(
      "DTP*472*D8*10010101~",
      "DTP*472*D8*10010101~SVC*HC:99213*125~STC*A1:19*20110311~REF*FJ*LINE1~",
    );
    const [claim] = read277CA(text).claims;
    expect(claim?.outcome).toBe("pending");
    expect(claim?.statuses.map((status) => status.categoryCode)).toEqual(["A1", "A0"]);
    expect(claim?.statuses[1]?.status).toBe("Claim status code 16");
    expect(claim?.serviceLines).toEqual([
      {
        procedureCode: "99213",
        chargeCents: 12500,
        lineItemControlNumber: "LINE1",
        statuses: [expect.objectContaining({ categoryCode: "A1", statusCode: "19" })],
      },
    ]);
  });

  it("reports a separator mismatch in STC instead of guessing", () => {
    const text = ACCEPTED_277.replace("STC*A2:20*", "STC*A2>20*");
    expect(errorOf(() => read277CA(text)).message).toBe(
      'STC01 (segment 22) reads "A2>20": the interchange declares ":" as its component separator (ISA16), but this looks written with ">".',
    );
  });

  it("refuses other files and claims it cannot match", () => {
    expect(errorOf(() => read277CA(ACCEPTED_999)).message).toBe("This file holds 999 transaction sets, not a 277CA claim acknowledgment.");
    expect(errorOf(() => read277CA(sample("277_5010__x12_277_x212.txt"))).message).toBe(
      "This 277 follows 005010X212 (a claim status response), not 005010X214 (a 277CA claim acknowledgment).",
    );
    expect(errorOf(() => read277CA(ACCEPTED_277.replace("TRN*2*5781~", ""))).message).toBe(
      "A claim in this 277CA has no patient control number (TRN02 at the patient level), so it cannot be matched to a claim.",
    );
  });
});

describe("malformed acknowledgments", () => {
  it("end in an AppError sentence, never a TypeError, whatever is cut or changed", () => {
    const files = [ACCEPTED_999, REJECTED_999, ACCEPTED_277, REJECTED_277];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), (which, start, length, insert) => {
        const file = files[which] as string;
        const from = start % file.length;
        const mutated = file.slice(0, from) + insert + file.slice(from + (length % 40));
        for (const read of [read999, read277CA]) {
          try {
            read(mutated);
          } catch (error) {
            expect(error).toBeInstanceOf(AppError);
            expect((error as AppError).message.length).toBeGreaterThan(10);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
