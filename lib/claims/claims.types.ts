import type { ClaimStatus } from "@/lib/db/generated/client";
import type { RenderingProviderView } from "@/lib/insurance/insurance.types";
import type { ClaimReason } from "./transition-claim";

export type { ClaimStatus, ClaimReason };

/** A field path as a dot-joined string ("lines.2.diagnosisPointers.0", "subscriber.birthDate") and one sentence. */
export type ClaimProblem = { path: string; message: string };

export type ServiceLineView = {
  id: string;
  position: number;
  procedureCode: string;
  modifiers: string[];
  description: string | null;
  units: number;
  /** Minor units. */
  chargeAmount: number;
  serviceDate: string;
  serviceDateEnd: string | null;
  /** Only when it differs from the visit's or claim's. */
  placeOfService: string | null;
  diagnosisPointers: number[];
};

export type VisitChargeView = ServiceLineView & { renderingProviderId: string | null };

/** A claim's line: its own rendering provider (2420A) only when it differs from the claim's; null when it is the claim's. */
export type ClaimLineView = ServiceLineView & { renderingProviderId: string | null; renderingProvider: RenderingProviderView | null };

export type ClaimRef = { id: string; number: number; displayNumber: string; status: ClaimStatus };

export type VisitView = {
  id: string;
  patient: { id: string; name: string };
  serviceDate: string;
  placeOfService: string;
  renderingProvider: RenderingProviderView | null;
  /** ICD-10-CM codes with the dot (E11.9), in order. */
  diagnoses: string[];
  note: string | null;
  charges: VisitChargeView[];
  totalCharge: number;
  currency: string;
  claims: ClaimRef[];
  createdBy: string;
  createdAt: string;
};

export type ClaimEventView = {
  id: string;
  fromStatus: ClaimStatus | null;
  toStatus: ClaimStatus;
  kind: string;
  message: string | null;
  actor: string;
  createdAt: string;
  batchId: string | null;
  fileId: string | null;
};

export type ClaimSummaryView = {
  id: string;
  number: number;
  /** CLM01 as sent: CLM-000123. */
  displayNumber: string;
  status: ClaimStatus;
  statusLabel: string;
  patient: { id: string; name: string };
  payer: { id: string; name: string };
  coverageId: string;
  priority: number;
  /** 1 original, 7 corrected, 8 void. */
  frequencyCode: "1" | "7" | "8";
  totalCharge: number;
  currency: string;
  /** The first line's date of service. */
  serviceDate: string;
  createdAt: string;
  submittedAt: string | null;
  acknowledgedAt: string | null;
  /** Days since the first date of service, clinic calendar. */
  ageDays: number;
};

export type ClaimAction = "edit" | "validate" | "submit" | "download_837" | "correct" | "void" | "close" | "cms1500";

export type ClaimView = ClaimSummaryView & {
  visitId: string;
  replacesClaim: ClaimRef | null;
  replacedBy: ClaimRef[];
  /** A secondary (or tertiary) claim: the claim to the payer before it, whose adjudication it carries. */
  priorClaim: ClaimRef | null;
  /** The claims to the next payer that carry this claim's adjudication (a secondary claim after the primary's), oldest first. */
  laterClaims: ClaimRef[];
  payerClaimNumber: string | null;
  placeOfService: string;
  renderingProvider: RenderingProviderView | null;
  diagnoses: string[];
  lines: ClaimLineView[];
  problems: ClaimProblem[];
  rejectionReasons: ClaimReason[];
  events: ClaimEventView[];
  batches: { id: string; fileName: string; createdAt: string; acknowledgment: string | null }[];
  allowedActions: ClaimAction[];
};

export type ClaimBatchView = {
  id: string;
  fileName: string;
  interchangeControlNumber: number;
  groupControlNumber: number;
  transactionSetControlNumber: number;
  claimCount: number;
  totalCharge: number;
  currency: string;
  channel: "download" | "sftp";
  sentAt: string | null;
  sendError: string | null;
  acknowledgment: string | null;
  acknowledgedAt: string | null;
  createdBy: string;
  createdAt: string;
};

/** A keyset page of claims (newest first). */
export type ClaimPage = { claims: ClaimSummaryView[]; nextCursor: string | null };
