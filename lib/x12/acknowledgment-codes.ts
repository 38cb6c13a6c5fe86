/**
 * Words for the codes that 999 and 277CA acknowledgments carry, from the X12 code lists they
 * cite. Lists that run to hundreds of codes (claim status codes, entity identifiers) hold the ones
 * clearinghouses commonly send; describeCode says "code N" for the others rather than guessing.
 */

/** 999 IK5-01 / AK9-01 (element 717 / 715): what happened to a transaction set or group. */
export const ACKNOWLEDGMENT_CODES: Record<string, string> = {
  A: "Accepted",
  E: "Accepted, but errors were noted",
  M: "Rejected: message authentication code (MAC) failed",
  P: "Partially accepted: at least one transaction set was rejected",
  R: "Rejected",
  W: "Rejected: assurance failed validity tests",
  X: "Rejected: content after decryption could not be analyzed",
};

/** 999 IK5-02…06 (element 618): why a transaction set has errors. */
export const TRANSACTION_SET_SYNTAX_ERRORS: Record<string, string> = {
  "1": "Transaction set not supported",
  "2": "Transaction set trailer missing",
  "3": "Transaction set control number in header and trailer do not match",
  "4": "Number of included segments does not match actual count",
  "5": "One or more segments in error",
  "6": "Missing or invalid transaction set identifier",
  "7": "Missing or invalid transaction set control number",
  "8": "Authentication key name unknown",
  "9": "Encryption key name unknown",
  "10": "Requested service (authentication or encryption) not available",
  "11": "Unknown security recipient",
  "12": "Incorrect message length (encryption only)",
  "13": "Message authentication code failed",
  "15": "Unknown security originator",
  "16": "Syntax error in decrypted text",
  "17": "Security not supported",
  "18": "Transaction set not in functional group",
  "19": "Invalid transaction set implementation convention reference",
  "23": "Transaction set control number not unique within the functional group",
  "24": "S3E security end segment missing for S3S security start segment",
  "25": "S3S security start segment missing for S3E security end segment",
  "26": "S4E security end segment missing for S4S security start segment",
  "27": "S4S security start segment missing for S4E security end segment",
  I5: "Implementation: one or more segments in error",
  I6: "Implementation convention not supported",
};

/** 999 AK9-05…09 (element 716): why a functional group has errors. */
export const FUNCTIONAL_GROUP_SYNTAX_ERRORS: Record<string, string> = {
  "1": "Functional group not supported",
  "2": "Functional group version not supported",
  "3": "Functional group trailer missing",
  "4": "Group control number in the functional group header and trailer do not agree",
  "5": "Number of included transaction sets does not match actual count",
  "6": "Group control number violates syntax",
  "10": "Authentication key name unknown",
  "11": "Encryption key name unknown",
  "12": "Requested service (authentication or encryption) not available",
  "13": "Unknown security recipient",
  "14": "Unknown security originator",
  "15": "Syntax error in decrypted text",
  "16": "Security not supported",
  "17": "Incorrect message length (encryption only)",
  "18": "Message authentication code failed",
  "19": "Functional group control number not unique within interchange",
  "23": "S3E security end segment missing for S3S security start segment",
  "24": "S3S security start segment missing for S3E security end segment",
  "25": "S4E security end segment missing for S4S security start segment",
  "26": "S4S security start segment missing for S4E security end segment",
};

/** 999 IK3-04 (element 620): what is wrong with a segment. */
export const SEGMENT_SYNTAX_ERRORS: Record<string, string> = {
  "1": "Unrecognized segment ID",
  "2": "Unexpected segment",
  "3": "Required segment missing",
  "4": "Loop occurs over maximum times",
  "5": "Segment exceeds maximum use",
  "6": "Segment not in defined transaction set",
  "7": "Segment not in proper sequence",
  "8": "Segment has data element errors",
  I4: "Implementation 'not used' segment present",
  I6: "Implementation dependent segment missing",
  I7: "Implementation loop occurs under minimum times",
  I8: "Implementation segment below minimum use",
  I9: "Implementation dependent 'not used' segment present",
};

/** 999 IK4-03 (element 621): what is wrong with an element. */
export const ELEMENT_SYNTAX_ERRORS: Record<string, string> = {
  "1": "Required data element missing",
  "2": "Conditional required data element missing",
  "3": "Too many data elements",
  "4": "Data element too short",
  "5": "Data element too long",
  "6": "Invalid character in data element",
  "7": "Invalid code value",
  "8": "Invalid date",
  "9": "Invalid time",
  "10": "Exclusion condition violated",
  "12": "Too many repetitions",
  "13": "Too many components",
  I6: "Code value not used in implementation",
  I9: "Implementation dependent data element missing",
  I10: "Implementation 'not used' data element present",
  I11: "Implementation too few repetitions",
  I12: "Implementation pattern match failure",
  I13: "Implementation dependent 'not used' data element present",
};

/** 277CA STC01-1 (code list 507): claim status category. */
export const CLAIM_STATUS_CATEGORIES: Record<string, string> = {
  A0: "Acknowledgement/Forwarded: the claim has been forwarded to another entity",
  A1: "Acknowledgement/Receipt: the claim has been received, which does not mean it was accepted for adjudication",
  A2: "Acknowledgement/Acceptance into adjudication system: the claim has been accepted into the adjudication system",
  A3: "Acknowledgement/Returned as unprocessable claim: the claim has been rejected and has not been entered into the adjudication system",
  A4: "Acknowledgement/Not Found: the claim cannot be found in the adjudication system",
  A5: "Acknowledgement/Split Claim: the claim has been split upon acceptance into the adjudication system",
  A6: "Acknowledgement/Rejected for Missing Information: the claim is missing the information named in the status details and has been rejected",
  A7: "Acknowledgement/Rejected for Invalid Information: the claim has invalid information as named in the status details and has been rejected",
  A8: "Acknowledgement/Rejected for relational field in error",
  E0: "Response not possible: error on submitted request data",
  E1: "Response not possible: system status",
  E2: "Information holding status",
  F0: "Finalized: the claim has completed the adjudication cycle and no more action will be taken",
  F1: "Finalized/Payment: the claim has been paid",
  F2: "Finalized/Denial: the claim has been denied",
  F3: "Finalized/Revised: adjudication information has been changed",
  F4: "Finalized/Adjudication complete: no payment forthcoming",
  P0: "Pending: adjudication/details",
  P1: "Pending/In process: the claim is in the adjudication system",
  P2: "Pending/Payer review",
  P3: "Pending/Provider requested information",
  P4: "Pending/Patient requested information",
  P5: "Pending/Payer administrative or system hold",
};

/** Categories that mean the claim was not taken into adjudication: fix it and send it again. */
export const REJECTING_CATEGORIES = new Set(["A3", "A4", "A6", "A7", "A8"]);
/** Categories that mean the payer took the claim into adjudication. */
export const ACCEPTING_CATEGORIES = new Set(["A2", "A5"]);

/** 277CA STC01-2 (code list 508): the status detail. Common ones only; others are named by number. */
export const CLAIM_STATUS_CODES: Record<string, string> = {
  "0": "Cannot provide further status electronically",
  "1": "For more detailed information, see remittance advice",
  "2": "More detailed information in letter",
  "19": "Entity acknowledges receipt of claim/encounter",
  "20": "Accepted for processing",
  "21": "Missing or invalid information",
  "153": "Entity's ID number",
  "164": "Entity's contract/member number",
  "254": "Principal diagnosis code",
  "255": "Diagnosis code",
  "454": "Procedure code for services rendered",
  "464": "Payer Claim Control Number",
  "562": "Entity's National Provider Identifier (NPI)",
};

/** STC01-3 (element 98): whom the status is about. */
export const ENTITY_IDENTIFIER_CODES: Record<string, string> = {
  "03": "Dependent",
  "40": "Receiver",
  "41": "Submitter",
  "77": "Service location",
  "82": "Rendering provider",
  "85": "Billing provider",
  DN: "Referring provider",
  IL: "Insured or subscriber",
  PR: "Payer",
  QC: "Patient",
};

/** The words for a code, or "<label> <code>" when the list here does not hold it. */
export function describeCode(table: Record<string, string>, code: string, label: string): string {
  return table[code] ?? `${label} ${code}`;
}
