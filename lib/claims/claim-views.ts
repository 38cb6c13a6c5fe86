import type { Prisma } from "@/lib/db/generated/client";
import type { RenderingProviderView } from "@/lib/insurance/insurance.types";
import { formatIcd10Cm } from "@/lib/insurance/identifiers";
import { toIsoDate, todayIn } from "@/lib/invoices/dates";
import { formatClaimNumber } from "./claim-number";
import type {
  ClaimAction,
  ClaimBatchView,
  ClaimEventView,
  ClaimLineView,
  ClaimProblem,
  ClaimRef,
  ClaimStatus,
  ClaimSummaryView,
  ClaimView,
  ServiceLineView,
  VisitView,
} from "./claims.types";
import { CLAIM_STATUS_LABELS, type ClaimReason } from "./transition-claim";

/*
 * Rows → the JSON views of lib/claims/claims.types.ts. Dates are the clinic's calendar days
 * (YYYY-MM-DD), instants ISO strings, money minor units, diagnoses with their dot.
 */

const day = (date: Date) => toIsoDate(date)!;
const units = (value: Prisma.Decimal | number) => Number(value.toString());

export function toRenderingProviderView(row: {
  id: string;
  firstName: string;
  lastName: string;
  npi: string;
  taxonomyCode: string | null;
  archivedAt: Date | null;
}): RenderingProviderView {
  return {
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    npi: row.npi,
    taxonomyCode: row.taxonomyCode,
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}

const patientName = (patient: { firstName: string; lastName: string }) => `${patient.firstName} ${patient.lastName}`;

const claimRef = (row: { id: string; number: number; status: ClaimStatus }): ClaimRef => ({
  id: row.id,
  number: row.number,
  displayNumber: formatClaimNumber(row.number),
  status: row.status,
});

type LineRow = {
  id: string;
  position: number;
  procedureCode: string;
  modifiers: string[];
  description: string | null;
  units: Prisma.Decimal;
  chargeAmount: number;
  serviceDate: Date;
  serviceDateEnd: Date | null;
  placeOfService: string | null;
  diagnosisPointers: number[];
};

function toServiceLineView(row: LineRow): ServiceLineView {
  return {
    id: row.id,
    position: row.position,
    procedureCode: row.procedureCode,
    modifiers: row.modifiers,
    description: row.description,
    units: units(row.units),
    chargeAmount: row.chargeAmount,
    serviceDate: day(row.serviceDate),
    serviceDateEnd: row.serviceDateEnd ? day(row.serviceDateEnd) : null,
    placeOfService: row.placeOfService,
    diagnosisPointers: row.diagnosisPointers,
  };
}

const RENDERING_PROVIDER_SELECT = { id: true, firstName: true, lastName: true, npi: true, taxonomyCode: true, archivedAt: true } as const;
const CLAIM_REF_SELECT = { id: true, number: true, status: true } as const;

export const VISIT_INCLUDE = {
  patient: { select: { id: true, firstName: true, lastName: true } },
  renderingProvider: { select: RENDERING_PROVIDER_SELECT },
  charges: { orderBy: { position: "asc" } },
  claims: { select: CLAIM_REF_SELECT, orderBy: { number: "asc" } },
  organization: { select: { currency: true } },
} as const satisfies Prisma.VisitInclude;

export type VisitRow = Prisma.VisitGetPayload<{ include: typeof VISIT_INCLUDE }>;

export function toVisitView(row: VisitRow): VisitView {
  return {
    id: row.id,
    patient: { id: row.patient.id, name: patientName(row.patient) },
    serviceDate: day(row.serviceDate),
    placeOfService: row.placeOfService,
    renderingProvider: row.renderingProvider ? toRenderingProviderView(row.renderingProvider) : null,
    diagnoses: row.diagnoses.map(formatIcd10Cm),
    note: row.note,
    charges: row.charges.map((charge) => ({ ...toServiceLineView(charge), renderingProviderId: charge.renderingProviderId })),
    totalCharge: row.charges.reduce((sum, charge) => sum + charge.chargeAmount, 0),
    currency: row.organization.currency,
    claims: row.claims.map(claimRef),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

export const CLAIM_SUMMARY_INCLUDE = {
  patient: { select: { id: true, firstName: true, lastName: true } },
  payer: { select: { id: true, name: true } },
  coverage: { select: { priority: true } },
  lines: { select: { serviceDate: true }, orderBy: { serviceDate: "asc" }, take: 1 },
  organization: { select: { currency: true, timezone: true } },
} as const satisfies Prisma.ClaimInclude;

export const CLAIM_INCLUDE = {
  ...CLAIM_SUMMARY_INCLUDE,
  lines: { orderBy: { position: "asc" }, include: { renderingProvider: { select: RENDERING_PROVIDER_SELECT } } },
  renderingProvider: { select: RENDERING_PROVIDER_SELECT },
  replacesClaim: { select: CLAIM_REF_SELECT },
  replacedBy: { select: CLAIM_REF_SELECT, orderBy: { number: "asc" } },
  priorClaim: { select: CLAIM_REF_SELECT },
  laterClaims: { select: CLAIM_REF_SELECT, orderBy: { number: "asc" } },
  events: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
  batchClaims: { select: { batch: { select: { id: true, fileName: true, createdAt: true, acknowledgment: true } } } },
} as const satisfies Prisma.ClaimInclude;

type ClaimSummaryRow = Prisma.ClaimGetPayload<{ include: typeof CLAIM_SUMMARY_INCLUDE }>;
export type ClaimRow = Prisma.ClaimGetPayload<{ include: typeof CLAIM_INCLUDE }>;

function ageInDays(serviceDate: string, timeZone: string, now: Date): number {
  const today = todayIn(timeZone, now);
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${serviceDate}T00:00:00Z`)) / 86_400_000);
}

export function toClaimSummaryView(row: Omit<ClaimSummaryRow, "lines"> & { lines: { serviceDate: Date }[] }, now = new Date()): ClaimSummaryView {
  const firstDate = row.lines.reduce<Date | null>((first, line) => (!first || line.serviceDate < first ? line.serviceDate : first), null);
  const serviceDate = firstDate ? day(firstDate) : day(row.createdAt);
  return {
    id: row.id,
    number: row.number,
    displayNumber: formatClaimNumber(row.number),
    status: row.status,
    statusLabel: CLAIM_STATUS_LABELS[row.status],
    patient: { id: row.patient.id, name: patientName(row.patient) },
    payer: { id: row.payer.id, name: row.payer.name },
    coverageId: row.coverageId,
    priority: row.coverage.priority,
    frequencyCode: row.frequencyCode as "1" | "7" | "8",
    totalCharge: row.totalCharge,
    currency: row.organization.currency,
    serviceDate,
    createdAt: row.createdAt.toISOString(),
    submittedAt: row.submittedAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    ageDays: ageInDays(serviceDate, row.organization.timezone, now),
  };
}

/** States after a payer took the claim in: it can then be corrected or voided (with the payer's claim number). */
export const ADJUDICABLE_STATUSES: readonly ClaimStatus[] = ["accepted", "paid", "partially_paid", "denied"];

function allowedActions(row: ClaimRow): ClaimAction[] {
  const actions: ClaimAction[] = [];
  const status = row.status;
  if (status === "draft" || status === "ready" || status === "rejected") actions.push("edit", "validate");
  if (status === "ready") actions.push("submit");
  if (row.batchClaims.length > 0) actions.push("download_837");
  const liveReplacement = row.replacedBy.some((replacement) => replacement.status !== "closed");
  if (ADJUDICABLE_STATUSES.includes(status) && row.frequencyCode !== "8" && row.payerClaimNumber && !liveReplacement) actions.push("correct", "void");
  if (status !== "submitted" && status !== "closed") actions.push("close");
  actions.push("cms1500");
  return actions;
}

function toEventView(row: ClaimRow["events"][number]): ClaimEventView {
  return {
    id: row.id,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    kind: row.kind,
    message: row.message,
    actor: row.actor,
    createdAt: row.createdAt.toISOString(),
    batchId: row.batchId,
    fileId: row.fileId,
  };
}

export function toClaimView(row: ClaimRow, now = new Date()): ClaimView {
  return {
    ...toClaimSummaryView(row, now),
    visitId: row.visitId,
    replacesClaim: row.replacesClaim ? claimRef(row.replacesClaim) : null,
    replacedBy: row.replacedBy.map(claimRef),
    priorClaim: row.priorClaim ? claimRef(row.priorClaim) : null,
    laterClaims: row.laterClaims.map(claimRef),
    payerClaimNumber: row.payerClaimNumber,
    placeOfService: row.placeOfService,
    renderingProvider: row.renderingProvider ? toRenderingProviderView(row.renderingProvider) : null,
    diagnoses: row.diagnoses.map(formatIcd10Cm),
    lines: row.lines.map((line): ClaimLineView => {
      const own = line.renderingProvider && line.renderingProviderId !== row.renderingProviderId ? line.renderingProvider : null;
      return { ...toServiceLineView(line), renderingProviderId: own?.id ?? null, renderingProvider: own ? toRenderingProviderView(own) : null };
    }),
    problems: row.problems as ClaimProblem[],
    rejectionReasons: row.rejectionReasons as ClaimReason[],
    events: row.events.map(toEventView),
    batches: row.batchClaims
      .map(({ batch }) => ({ id: batch.id, fileName: batch.fileName, createdAt: batch.createdAt.toISOString(), acknowledgment: batch.acknowledgment }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    allowedActions: allowedActions(row),
  };
}

export const BATCH_SELECT = {
  id: true,
  fileName: true,
  interchangeControlNumber: true,
  groupControlNumber: true,
  transactionSetControlNumber: true,
  claimCount: true,
  totalCharge: true,
  channel: true,
  sentAt: true,
  sendError: true,
  acknowledgment: true,
  acknowledgedAt: true,
  createdBy: true,
  createdAt: true,
  organization: { select: { currency: true } },
} as const satisfies Prisma.ClaimBatchSelect;

export function toClaimBatchView(row: Prisma.ClaimBatchGetPayload<{ select: typeof BATCH_SELECT }>): ClaimBatchView {
  return {
    id: row.id,
    fileName: row.fileName,
    interchangeControlNumber: row.interchangeControlNumber,
    groupControlNumber: row.groupControlNumber,
    transactionSetControlNumber: row.transactionSetControlNumber,
    claimCount: row.claimCount,
    totalCharge: row.totalCharge,
    currency: row.organization.currency,
    channel: row.channel as "download" | "sftp",
    sentAt: row.sentAt?.toISOString() ?? null,
    sendError: row.sendError,
    acknowledgment: row.acknowledgment,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
