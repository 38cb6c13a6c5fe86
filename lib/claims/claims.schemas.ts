import { z } from "zod";
import type { ClaimBatchView, ClaimPage, ClaimProblem, ClaimSummaryView, ClaimView, VisitView } from "./claims.types";
import { CLAIM_STATUSES } from "./list-claims";

/*
 * The claims views as zod schemas, for the OpenAPI document (responses are checked against it in
 * tests). The TypeScript views in claims.types.ts stay the source; the checks at the bottom keep
 * the two the same shape.
 */

const ZInstant = z.string().describe("ISO 8601 instant (UTC)");
const ZDay = z.string().describe("YYYY-MM-DD, the clinic's calendar");
const ZStatus = z.enum(CLAIM_STATUSES);

export const ZClaimRenderingProviderView = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  npi: z.string(),
  taxonomyCode: z.string().nullable(),
  archivedAt: ZInstant.nullable(),
});

export const ZClaimProblem = z.object({
  path: z.string().describe("Dot-joined field path: lines.1.diagnosisPointers.0, subscriber.birthDate, practice.npi"),
  message: z.string(),
});

const ZServiceLineView = z.object({
  id: z.string(),
  position: z.number().int(),
  procedureCode: z.string(),
  modifiers: z.array(z.string()),
  description: z.string().nullable(),
  units: z.number(),
  chargeAmount: z.number().int().describe("Minor units"),
  serviceDate: ZDay,
  serviceDateEnd: ZDay.nullable(),
  placeOfService: z.string().nullable().describe("Only when it differs from the visit's or claim's"),
  diagnosisPointers: z.array(z.number().int()),
});

const ZClaimLineView = ZServiceLineView.extend({
  renderingProviderId: z
    .string()
    .nullable()
    .describe("The line's own rendering provider (loop 2420A, box 24J) when it differs from the claim's; null when the claim's provider rendered it"),
  renderingProvider: ZClaimRenderingProviderView.nullable().describe("That provider (name, NPI, taxonomy), or null"),
});

const ZClaimRef = z.object({ id: z.string(), number: z.number().int(), displayNumber: z.string(), status: ZStatus });

export const ZVisitView = z.object({
  id: z.string(),
  patient: z.object({ id: z.string(), name: z.string() }),
  serviceDate: ZDay,
  placeOfService: z.string(),
  renderingProvider: ZClaimRenderingProviderView.nullable(),
  diagnoses: z.array(z.string()).describe("ICD-10-CM with the dot, the principal first"),
  note: z.string().nullable(),
  charges: z.array(ZServiceLineView.extend({ renderingProviderId: z.string().nullable() })),
  totalCharge: z.number().int(),
  currency: z.string(),
  claims: z.array(ZClaimRef),
  createdBy: z.string(),
  createdAt: ZInstant,
});

export const ZClaimSummaryView = z.object({
  id: z.string(),
  number: z.number().int(),
  displayNumber: z.string().describe("CLM01 as sent: CLM-000123"),
  status: ZStatus,
  statusLabel: z.string(),
  patient: z.object({ id: z.string(), name: z.string() }),
  payer: z.object({ id: z.string(), name: z.string() }),
  coverageId: z.string(),
  priority: z.number().int(),
  frequencyCode: z.enum(["1", "7", "8"]).describe("1 original, 7 corrected, 8 void"),
  totalCharge: z.number().int(),
  currency: z.string(),
  serviceDate: ZDay.describe("The first line's date of service"),
  createdAt: ZInstant,
  submittedAt: ZInstant.nullable(),
  acknowledgedAt: ZInstant.nullable(),
  ageDays: z.number().int().describe("Days since the first date of service, clinic calendar"),
});

const ZClaimEventView = z.object({
  id: z.string(),
  fromStatus: ZStatus.nullable(),
  toStatus: ZStatus,
  kind: z.string(),
  message: z.string().nullable(),
  actor: z.string(),
  createdAt: ZInstant,
  batchId: z.string().nullable(),
  fileId: z.string().nullable(),
});

export const ZClaimView = ZClaimSummaryView.extend({
  visitId: z.string(),
  replacesClaim: ZClaimRef.nullable(),
  replacedBy: z.array(ZClaimRef),
  priorClaim: ZClaimRef.nullable().describe("A secondary (or tertiary) claim: the claim to the payer before it, whose adjudication it carries (2320/2430)"),
  laterClaims: z
    .array(ZClaimRef)
    .describe("The claims to the next payer carrying this claim's adjudication (the secondary claim after the primary's), oldest first"),
  payerClaimNumber: z.string().nullable(),
  placeOfService: z.string(),
  renderingProvider: ZClaimRenderingProviderView.nullable().describe(
    "The claim's rendering provider (loop 2310B), the one all or most lines share; null: the billing provider (the practice)",
  ),
  diagnoses: z.array(z.string()),
  lines: z.array(ZClaimLineView),
  problems: z.array(ZClaimProblem).describe("The last validation's problems; empty once ready"),
  rejectionReasons: z.array(z.object({ source: z.enum(["999", "277CA", "835", "staff"]), message: z.string() })),
  events: z.array(ZClaimEventView).describe("The claim's history, oldest first"),
  batches: z.array(z.object({ id: z.string(), fileName: z.string(), createdAt: ZInstant, acknowledgment: z.string().nullable() })),
  allowedActions: z.array(z.enum(["edit", "validate", "submit", "download_837", "correct", "void", "close", "cms1500"])),
});

export const ZClaimBatchView = z.object({
  id: z.string(),
  fileName: z.string(),
  interchangeControlNumber: z.number().int().describe("ISA13"),
  groupControlNumber: z.number().int().describe("GS06"),
  transactionSetControlNumber: z.number().int().describe("ST02"),
  claimCount: z.number().int(),
  totalCharge: z.number().int(),
  currency: z.string(),
  channel: z.enum(["download", "sftp"]),
  sentAt: ZInstant.nullable().describe("Null while the SFTP job has not sent it"),
  sendError: z.string().nullable(),
  acknowledgment: z.string().nullable().describe("The 999's verdict: accepted, accepted_with_errors, partially_accepted, rejected"),
  acknowledgedAt: ZInstant.nullable(),
  createdBy: z.string(),
  createdAt: ZInstant,
});

export const ZValidateClaimResult = z.object({ claim: ZClaimView, problems: z.array(ZClaimProblem) });

// The schemas above describe exactly the TypeScript views (both ways).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
  Same<z.infer<typeof ZVisitView>, VisitView>,
  Same<z.infer<typeof ZClaimSummaryView>, ClaimSummaryView>,
  Same<z.infer<typeof ZClaimView>, ClaimView>,
  Same<z.infer<typeof ZClaimBatchView>, ClaimBatchView>,
  Same<z.infer<typeof ZClaimProblem>, ClaimProblem>,
  Same<ClaimPage["claims"][number], ClaimSummaryView>,
] = [true, true, true, true, true, true];
void checks;
