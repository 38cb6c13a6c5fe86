import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { readX12 } from "./read-x12";
import { segment, serializeSegment, writeInterchange, type X12Envelope } from "./write-x12";

const envelope: X12Envelope = {
  sender: { qualifier: "ZZ", id: "SENDER" },
  receiver: { qualifier: "ZZ", id: "RECEIVER" },
  applicationSenderCode: "SENDER",
  applicationReceiverCode: "RECEIVER",
  interchangeControlNumber: 7,
  groupControlNumber: 8,
  functionalIdentifier: "HC",
  implementationReference: "005010X222A1",
  usage: "T",
  acknowledgmentRequested: true,
  createdAt: new Date("2026-12-05T06:30:00Z"),
  timeZone: "America/New_York",
};

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("serializeSegment", () => {
  it("joins elements and components, leaving out trailing empties", () => {
    expect(serializeSegment(segment("NM1", "85", "2", "CLINIC", null, undefined, "", undefined, "XX", "1234567893"))).toBe(
      "NM1*85*2*CLINIC*****XX*1234567893~",
    );
    expect(serializeSegment(segment("SV1", ["HC", "99213", "", ""], "100", "UN", "1", "", "", ["1"], "", ""))).toBe("SV1*HC:99213*100*UN*1***1~");
    expect(serializeSegment(segment("N3", "1 MAIN ST"), { segment: "\n", element: "|", component: ">", repetition: "!" })).toBe("N3|1 MAIN ST\n");
  });

  it("refuses a value holding a separator or a control character, naming the element", () => {
    expect(errorOf(() => serializeSegment(segment("NM1", "85", "2", "SMITH*JONES"))).message).toBe(
      'NM103 contains "*", which is a separator in this file: remove it from the data.',
    );
    expect(errorOf(() => serializeSegment(segment("SV1", ["HC", "99213", "2~5"]))).message).toBe(
      'SV101-3 contains "~", which is a separator in this file: remove it from the data.',
    );
    expect(errorOf(() => serializeSegment(segment("N3", "1 MAIN\nST"))).message).toBe(
      "N301 contains a control character (such as a line break), which X12 cannot carry.",
    );
    expect(errorOf(() => serializeSegment(segment("nm1", "85"))).code).toBe("VALIDATION_FAILED");
  });
});

describe("writeInterchange", () => {
  it("writes a fixed-width ISA declaring its separators, and trailers with counts and the given control numbers", () => {
    const text = writeInterchange(envelope, [
      { transactionSetId: "837", controlNumber: 1, segments: [segment("BHT", "0019"), segment("NM1", "41")] },
      { transactionSetId: "837", controlNumber: 2, segments: [segment("BHT", "0019")] },
    ]);
    const lines = text.split("\n");
    expect(lines[0]).toBe("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261205*0130*^*00501*000000007*1*T*:~");
    expect(lines[0]).toHaveLength(106);
    expect(lines.slice(1)).toEqual([
      "GS*HC*SENDER*RECEIVER*20261205*0130*8*X*005010X222A1~",
      "ST*837*0001*005010X222A1~",
      "BHT*0019~",
      "NM1*41~",
      "SE*4*0001~",
      "ST*837*0002*005010X222A1~",
      "BHT*0019~",
      "SE*3*0002~",
      "GE*2*8~",
      "IEA*1*000000007~",
      "",
    ]);
    const read = readX12(text);
    expect(read.separators).toEqual({ segment: "~", element: "*", component: ":", repetition: "^" });
  });

  it("writes other separators when asked, still declared in the ISA, and without line breaks", () => {
    const text = writeInterchange(envelope, [{ transactionSetId: "837", controlNumber: 1, segments: [segment("SV1", ["HC", "99213"])] }], {
      separators: { segment: "'", element: "|", component: ">", repetition: "!" },
      lineBreaks: false,
    });
    expect(text.slice(0, 106)).toBe("ISA|00|          |00|          |ZZ|SENDER         |ZZ|RECEIVER       |261205|0130|!|00501|000000007|1|T|>'");
    expect(text).toContain("SV1|HC>99213'");
    expect(readX12(text).separators).toEqual({ segment: "'", element: "|", component: ">", repetition: "!" });
  });

  it("refuses bad control numbers, ids too long for the ISA, and separators that collide", () => {
    const set = { transactionSetId: "837", controlNumber: 1, segments: [] };
    expect(errorOf(() => writeInterchange({ ...envelope, interchangeControlNumber: 0 }, [set])).message).toBe(
      "The interchange control number must be a whole number from 1 to 999999999; it is 0.",
    );
    expect(errorOf(() => writeInterchange({ ...envelope, groupControlNumber: 1e9 }, [set])).message).toMatch(/group control number must be a whole number/);
    expect(errorOf(() => writeInterchange(envelope, [set, set])).message).toBe("Transaction set control number 1 is used twice in one group.");
    expect(errorOf(() => writeInterchange({ ...envelope, sender: { qualifier: "ZZ", id: "A-VERY-LONG-SENDER-ID" } }, [set])).message).toBe(
      'ISA06 is at most 15 characters; "A-VERY-LONG-SENDER-ID" has 21.',
    );
    expect(errorOf(() => writeInterchange(envelope, [set], { separators: { segment: "~", element: "*", component: "*", repetition: "^" } })).message).toBe(
      'The separator "*" is declared for two purposes.',
    );
    expect(errorOf(() => writeInterchange(envelope, [])).message).toBe("An interchange needs at least one transaction set.");
  });
});

describe("readX12", () => {
  it("refuses what is not an interchange with one clear sentence", () => {
    expect(errorOf(() => readX12("")).message).toBe("The file is empty.");
    expect(errorOf(() => readX12("GS*HC*X~")).message).toBe(
      'This is not an X12 interchange: it must start with an ISA segment, and it starts with "GS*HC*X~".',
    );
    expect(errorOf(() => readX12("ISA*00*")).message).toBe("The file is too short to hold an ISA segment (106 characters).");
    expect(errorOf(() => readX12(`ISA*00*${" ".repeat(120)}`)).message).toMatch(/^The ISA segment is cut short at ISA02: it needs 16 elements/);
    expect(errorOf(() => readX12(null as unknown as string)).message).toBe("The file is empty or not text.");
  });

  it("notes a 4010-style ISA11 and reads on without a repetition separator", () => {
    const isa = "ISA*00*          *01*SECRET    *ZZ*SUBMITTERS.ID  *ZZ*RECEIVERS.ID   *030101*1253*U*00501*000000905*1*T*:~\nGS*HC~\n";
    const read = readX12(isa);
    expect(read.separators.repetition).toBeNull();
    expect(read.notes).toEqual([
      'ISA11 is "U", the 4010 standards identifier; version 00501 expects the repetition separator there. No repetition separator is assumed.',
    ]);
    expect(read.segments.map((each) => each.id)).toEqual(["ISA", "GS"]);
  });
});
