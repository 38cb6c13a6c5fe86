import { CLAIM_ADJUSTMENT_REASON_CODES, REMITTANCE_ADVICE_REMARK_CODES } from "./remittance-code-lists";

/**
 * The codes of an 835 in words. CARC and RARC descriptions come from remittance-code-lists.ts (a
 * licensed public list, see its header); the short code lists of the 835 itself (group codes, claim
 * status, payment method, provider adjustment reasons) are written here from the 005010X221A1 guide.
 */

/** CAS01: who the adjustment is assigned to. */
export const ADJUSTMENT_GROUP_CODES = Object.freeze({
  CO: "Contractual obligation",
  PR: "Patient responsibility",
  OA: "Other adjustment",
  PI: "Payer initiated reduction",
  CR: "Correction and reversal",
} as const);

export type AdjustmentGroupCode = keyof typeof ADJUSTMENT_GROUP_CODES;

export function isAdjustmentGroupCode(value: string): value is AdjustmentGroupCode {
  return Object.hasOwn(ADJUSTMENT_GROUP_CODES, value);
}

/** A CARC in words; a code the list does not hold says so (the list is a snapshot, see remittance-code-lists.ts). */
export function describeCarc(code: string): string {
  return (
    CLAIM_ADJUSTMENT_REASON_CODES[code] ?? `Adjustment reason code ${code} (not in Carebill's list; look it up at x12.org/codes/claim-adjustment-reason-codes).`
  );
}

/** A RARC in words; a code the list does not hold says so. */
export function describeRarc(code: string): string {
  return REMITTANCE_ADVICE_REMARK_CODES[code] ?? `Remark code ${code} (not in Carebill's list; look it up at x12.org/codes/remittance-advice-remark-codes).`;
}

/** "CO-29: Contractual obligation — The time limit for filing has expired." */
export function describeAdjustment(groupCode: string, reasonCode: string): string {
  const group = isAdjustmentGroupCode(groupCode) ? ADJUSTMENT_GROUP_CODES[groupCode] : `Group ${groupCode}`;
  return `${groupCode}-${reasonCode}: ${group} — ${describeCarc(reasonCode)}`;
}

/** CLP02: what the payer did with the claim. */
export const CLAIM_PAYMENT_STATUS_CODES: Readonly<Record<string, string>> = Object.freeze({
  "1": "Processed as primary",
  "2": "Processed as secondary",
  "3": "Processed as tertiary",
  "4": "Denied",
  "19": "Processed as primary, forwarded to additional payer(s)",
  "20": "Processed as secondary, forwarded to additional payer(s)",
  "21": "Processed as tertiary, forwarded to additional payer(s)",
  "22": "Reversal of previous payment",
  "23": "Not our claim, forwarded to additional payer(s)",
  "25": "Predetermination pricing only, no payment",
});

/** BPR01: what the transaction does with money. */
export const PAYMENT_HANDLING_CODES: Readonly<Record<string, string>> = Object.freeze({
  C: "Payment accompanies remittance advice",
  D: "Make payment only",
  H: "Notification only",
  I: "Remittance information only",
  P: "Prenotification of future transfers",
  U: "Split payment and remittance",
  X: "Handling party's option to split payment and remittance",
});

/** BPR04: how the money moves. */
export const PAYMENT_METHOD_CODES: Readonly<Record<string, string>> = Object.freeze({
  ACH: "Automated clearing house (ACH) transfer",
  BOP: "Financial institution option",
  CHK: "Check",
  FWT: "Federal Reserve funds or wire transfer",
  NON: "Non-payment data",
});

/** PLB03-1 and following: why the payer adjusts the provider's payment outside any claim (the common ones). */
export const PROVIDER_ADJUSTMENT_REASON_CODES: Readonly<Record<string, string>> = Object.freeze({
  "50": "Late charge",
  "51": "Interest penalty charge",
  "72": "Authorized return",
  "90": "Early payment allowance",
  AH: "Origination fee",
  AM: "Applied to borrower's account",
  AP: "Acceleration of benefits",
  B2: "Rebate",
  B3: "Recovery allowance",
  BD: "Bad debt adjustment",
  BN: "Bonus",
  C5: "Temporary allowance",
  CR: "Capitation interest",
  CS: "Adjustment",
  CT: "Capitation payment",
  CV: "Capital passthru",
  CW: "Certified registered nurse anesthetist passthru",
  DM: "Direct medical education passthru",
  E3: "Withholding",
  FB: "Forwarding balance",
  FC: "Fund allocation",
  GO: "Graduate medical education passthru",
  HM: "Hemophilia clotting factor supplement",
  IP: "Incentive premium payment",
  IR: "Internal Revenue Service withholding",
  IS: "Interim settlement",
  J1: "Nonreimbursable",
  L3: "Penalty",
  L6: "Interest owed",
  LE: "Levy",
  LS: "Lump sum",
  OA: "Organ acquisition passthru",
  OB: "Offset for affiliated providers",
  PI: "Periodic interim payment",
  PL: "Payment final",
  RA: "Retro-activity adjustment",
  RE: "Return on equity",
  SL: "Student loan repayment",
  TL: "Third party liability",
  WO: "Overpayment recovery",
  WU: "Unspent funds",
});

/** A code from one of the short tables above, or a sentence naming the unknown code. */
export function describeRemittanceCode(table: Readonly<Record<string, string>>, code: string, label: string): string {
  return table[code] ?? `${label} ${code}`;
}
