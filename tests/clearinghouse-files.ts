/**
 * Test helpers for clearinghouse files: public sample files readdressed to a test clinic. The imsweb
 * and linuxforhealth samples carry other submitters' ids, control numbers and claim numbers; these
 * helpers rewrite only those envelope and matching fields (ISA08, ISA13/IEA02, GS03, AK1-02, AK2-02,
 * the 277CA's patient-level TRN02), so what is read otherwise is the sample as published.
 */
import { readFileSync } from "node:fs";

export function sampleFile(path: string): string {
  return readFileSync(new URL(`../lib/x12/__fixtures__/${path}`, import.meta.url), "utf8");
}

/**
 * A test clinic's own submitter id (ISA06 of its files, ISA08 of its answers): (receiver id, submitter
 * id) is unique across clinics, so clinics sharing a test database cannot share one. "CB" and 13
 * characters of the organization id: 15 of A-Z0-9, the ISA's width.
 */
export function testSubmitterId(organizationId: string): string {
  return `CB${organizationId.replace(/-/g, "").slice(0, 13).toUpperCase()}`;
}

export type Readdress = {
  submitterId: string;
  interchangeControlNumber: number;
  /** 999: the batch acknowledged. */
  groupControlNumber?: number;
  transactionSetControlNumber?: number;
  /** 277CA: the CLM01 of each patient-level TRN, in order. */
  claimNumbers?: string[];
  /** 277CA: the billing provider's NPI (NM1*85), which the clearinghouse echoes from our 837. */
  billingProviderNpi?: string;
};

/** The sample with our submitter id and numbers (samples use "*" and "~"; line breaks kept). */
export function readdress(sample: string, options: Readdress): string {
  const claimNumbers = [...(options.claimNumbers ?? [])];
  let level = "";
  const icn = String(options.interchangeControlNumber).padStart(9, "0");
  return sample
    .split("~")
    .map((raw) => {
      const leading = /^\s*/.exec(raw)![0];
      const elements = raw.slice(leading.length).split("*");
      switch (elements[0]) {
        case "ISA":
          elements[8] = options.submitterId.padEnd(15, " ");
          elements[13] = icn;
          break;
        case "IEA":
          elements[2] = icn;
          break;
        case "GS":
          elements[3] = options.submitterId;
          break;
        case "AK1":
          if (options.groupControlNumber !== undefined) elements[2] = String(options.groupControlNumber);
          break;
        case "AK2":
          if (options.transactionSetControlNumber !== undefined) elements[2] = String(options.transactionSetControlNumber).padStart(4, "0");
          break;
        case "NM1":
          if (elements[1] === "85" && options.billingProviderNpi !== undefined) elements[9] = options.billingProviderNpi;
          break;
        case "HL":
          level = elements[3] ?? "";
          break;
        case "TRN":
          if (level === "PT" && elements[1] === "2" && claimNumbers.length > 0) elements[2] = claimNumbers.shift()!;
          break;
      }
      return leading + elements.join("*");
    })
    .join("~");
}
