import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { todayIn } from "@/lib/invoices/dates";
import { listClaimBatchProblems } from "@/lib/x12/build-837p";
import type { TClaimBatch837PInput } from "@/lib/x12/build-837p.types";
import { formatClaimNumber } from "./claim-number";
import { addressOf, coverageSubscriber, day, missing, patientAddressOf, type TClaim837PInput } from "./claim-837p-parties";
import { loadPriorAdjudications, otherPayersInput, priorAdjudicationProblems, type PriorAdjudication } from "./prior-adjudication";
import type { ClaimProblem, ClaimView } from "./claims.types";
import { inTransaction } from "@/lib/db/in-transaction";
import { getClaimOrThrow } from "./list-claims";
import { recordClaimEvent, transitionClaim } from "./transition-claim";

export type { TClaim837PInput } from "./claim-837p-parties";
type BillingProvider = TClaimBatch837PInput["billingProvider"];
const PAYER_RESPONSIBILITY = { 1: "P", 2: "S", 3: "T" } as const;

const CLAIM_837P_INCLUDE = {
  lines: { orderBy: { position: "asc" }, include: { renderingProvider: true } },
  patient: true,
  coverage: { include: { payer: true } },
  renderingProvider: true,
  organization: { select: { timezone: true } },
} as const satisfies Prisma.ClaimInclude;
type LoadedClaim = Prisma.ClaimGetPayload<{ include: typeof CLAIM_837P_INCLUDE }>;

async function loadClaim(db: Db | Tx, options: { organizationId: string; claimId: string }): Promise<LoadedClaim> {
  const claim = await db.claim.findFirst({ where: { id: options.claimId, organizationId: options.organizationId }, include: CLAIM_837P_INCLUDE });
  if (!claim) throw new AppError("NOT_FOUND", "That claim does not exist.");
  return claim;
}

type RenderingProviderRow = NonNullable<LoadedClaim["renderingProvider"]>;

function renderingProviderInput(provider: RenderingProviderRow): NonNullable<TClaim837PInput["renderingProvider"]> {
  return {
    lastName: provider.lastName,
    firstName: provider.firstName,
    npi: provider.npi,
    ...(provider.taxonomyCode ? { taxonomyCode: provider.taxonomyCode } : {}),
  };
}

/** A line's own rendering provider (2420A): only when it names one other than the claim's. */
function lineRenderingProvider(claim: LoadedClaim, line: LoadedClaim["lines"][number]): RenderingProviderRow | null {
  return line.renderingProvider && line.renderingProviderId !== claim.renderingProviderId ? line.renderingProvider : null;
}

function claimInput(
  claim: LoadedClaim,
  practice: { providerSignatureOnFile: boolean } | null,
  adjudications: ReadonlyMap<string, PriorAdjudication>,
): TClaim837PInput {
  const { patient, coverage } = claim;
  const payer = coverage.payer;
  const self = coverage.relationshipCode === "18";
  const patientAddress = patientAddressOf(patient);
  const subscriber = coverageSubscriber(coverage, patient);
  const { otherPayers, lineAdjudications } = otherPayersInput(claim, adjudications);
  const payerAddress = addressOf({ line1: payer.addressLine1, line2: payer.addressLine2, city: payer.city, state: payer.state, postalCode: payer.postalCode });
  return {
    claimNumber: formatClaimNumber(claim.number),
    totalChargeCents: claim.totalCharge,
    placeOfService: claim.placeOfService,
    frequencyCode: claim.frequencyCode as "1" | "7" | "8",
    // REF*F8 only on a replacement; an original's payer claim number (from its 277CA) is not sent.
    ...(claim.frequencyCode !== "1" ? { payerClaimNumber: missing(claim.payerClaimNumber) } : {}),
    providerSignatureOnFile: missing(practice?.providerSignatureOnFile),
    providerAcceptsAssignment: coverage.acceptsAssignment as "A" | "B" | "C",
    benefitsAssignmentCertified: coverage.benefitsAssigned as "Y" | "N" | "W",
    releaseOfInformation: missing(patient.releaseOfInformation) as "I" | "Y",
    payerResponsibility: PAYER_RESPONSIBILITY[coverage.priority as 1 | 2 | 3] ?? missing<"P">(null),
    subscriber,
    patient: self
      ? null
      : {
          relationshipCode: coverage.relationshipCode as "19",
          lastName: patient.lastName,
          firstName: patient.firstName,
          birthDate: missing(patient.dateOfBirth ? day(patient.dateOfBirth) : null),
          sex: missing(patient.sex) as "F" | "M" | "U",
          address: missing(patientAddress),
        },
    payer: {
      name: payer.name,
      payerId: payer.payerId,
      claimFilingIndicator: payer.claimFilingIndicator as "CI",
      ...(payerAddress ? { address: payerAddress } : {}),
    },
    diagnoses: claim.diagnoses,
    ...(claim.renderingProvider ? { renderingProvider: renderingProviderInput(claim.renderingProvider) } : {}),
    serviceLines: claim.lines.map((line, index) => {
      const ownProvider = lineRenderingProvider(claim, line);
      return {
        procedureCode: line.procedureCode,
        modifiers: line.modifiers,
        chargeCents: line.chargeAmount,
        units: Number(line.units.toString()),
        ...(line.placeOfService ? { placeOfService: line.placeOfService } : {}),
        diagnosisPointers: line.diagnosisPointers,
        serviceDate: day(line.serviceDate),
        ...(line.serviceDateEnd ? { serviceDateEnd: day(line.serviceDateEnd) } : {}),
        ...(ownProvider ? { renderingProvider: renderingProviderInput(ownProvider) } : {}),
        ...(lineAdjudications[index]!.length > 0 ? { adjudications: lineAdjudications[index] } : {}),
      };
    }),
    ...(otherPayers.length > 0 ? { otherPayers } : {}),
  };
}

/** The adjudications of the payers before these claims (none for claims to a primary). */
function loadAdjudicationsFor(db: Db | Tx, organizationId: string, claims: readonly LoadedClaim[]): Promise<Map<string, PriorAdjudication>> {
  const priorClaimIds = claims.map((claim) => claim.priorClaimId);
  if (priorClaimIds.every((id) => id === null)) return Promise.resolve(new Map());
  return loadPriorAdjudications(db, { organizationId, priorClaimIds, timeZone: claims[0]!.organization.timezone });
}

/** The practice profile as the 837P's billing provider (2010AA), or null when the clinic has none. */
export async function loadBillingProvider(
  db: Db | Tx,
  options: { organizationId: string },
): Promise<(BillingProvider & { providerSignatureOnFile: boolean }) | null> {
  const practice = await db.practiceProfile.findUnique({ where: { organizationId: options.organizationId } });
  if (!practice) return null;
  return {
    organizationName: practice.legalName,
    npi: practice.npi,
    ein: practice.ein,
    taxonomyCode: practice.taxonomyCode,
    address: missing(
      addressOf({ line1: practice.addressLine1, line2: practice.addressLine2, city: practice.city, state: practice.state, postalCode: practice.postalCode }),
    ),
    providerSignatureOnFile: practice.providerSignatureOnFile,
  };
}

/**
 * The claim as the 837P carries it, from the database: practice profile (CLM06), payer, coverage
 * (subscriber, CLM07, CLM08, SBR01 from the priority), patient (CLM09, the dependent), rendering
 * provider. Nothing is hard-coded; a missing value is left out so that validation names it.
 */
export async function buildClaim837PInput(db: Db | Tx, options: { organizationId: string; claimId: string }): Promise<TClaim837PInput> {
  const claim = await loadClaim(db, options);
  const practice = await db.practiceProfile.findUnique({ where: { organizationId: options.organizationId }, select: { providerSignatureOnFile: true } });
  return claimInput(claim, practice, await loadAdjudicationsFor(db, options.organizationId, [claim]));
}

const SETTINGS_PRACTICE = "Settings → Practice";

/** Where staff fix what a path names, appended to the schema's sentence. */
function withWhereToFix(path: string, message: string, self: boolean): string {
  if (path.startsWith("practice.")) return `${message.replace(/\.$/, "")}: fix it in ${SETTINGS_PRACTICE}.`;
  if (path.startsWith("subscriber.") && self) return `${message.replace(/\.$/, "")} (the patient is the subscriber: fill it in on the patient's page).`;
  if (path.startsWith("subscriber.") || path === "memberId") return `${message.replace(/\.$/, "")} (fill it in on the patient's coverage).`;
  if (path.startsWith("patient.")) return `${message.replace(/\.$/, "")} (fill it in on the patient's page).`;
  if (path.startsWith("payer.")) return `${message.replace(/\.$/, "")} (fix the payer in Settings → Payers).`;
  if (path.startsWith("otherPayers.")) return `${message.replace(/\.$/, "")} (fix it on the patient's other coverage, or its payer in Settings → Payers).`;
  if (path.startsWith("renderingProvider.")) return `${message.replace(/\.$/, "")} (fix the rendering provider in ${SETTINGS_PRACTICE}).`;
  return message;
}

/** An 837P schema path (claims.0.serviceLines.1.chargeCents) as the claim's own field (lines.1.chargeAmount); null for the envelope's placeholders. */
function claimPath(path: string): string | null {
  if (path.startsWith("billingProvider")) return path.replace(/^billingProvider/, "practice");
  if (!path.startsWith("claims.0")) return null;
  const rest = path.replace(/^claims\.0\.?/, "");
  return rest
    .replace(/^serviceLines/, "lines")
    .replace(/^(lines\.\d+)\.chargeCents$/, "$1.chargeAmount")
    .replace(/^totalChargeCents$/, "totalCharge");
}

const MESSAGES: Record<string, string> = {
  releaseOfInformation: "The patient's release of information (signed statement or informed consent, CLM09) is not recorded: set it on the patient's page.",
  "subscriber.birthDate": "The subscriber's birth date is missing: the patient is the subscriber, so add their date of birth on the patient's page.",
  "subscriber.sex": "The subscriber's sex is missing: the patient is the subscriber, so record it on the patient's page.",
  "subscriber.address":
    "The subscriber's address is missing: the patient is the subscriber, so add their street address (with state and ZIP) on the patient's page.",
  "patient.birthDate": "The patient's date of birth is missing: add it on the patient's page.",
  "patient.sex": "The patient's sex is not recorded: set it on the patient's page.",
  "patient.address": "The patient's address is missing: add their street address (with state and ZIP) on the patient's page.",
  "practice.address": `The practice's billing address is incomplete: set it in ${SETTINGS_PRACTICE}.`,
};

type ProviderField = "npi" | "taxonomyCode" | "firstName" | "lastName";
const PROVIDER_FIELDS: Record<ProviderField, string> = { npi: "NPI", taxonomyCode: "taxonomy code", firstName: "first name", lastName: "last name" };

/**
 * A problem of a line's own rendering provider (2420A), naming the line and the provider: "Service
 * line 2: the rendering provider Lee Chen has no NPI: fix it in Settings → Practice."
 */
function lineProviderMessage(claim: LoadedClaim, index: number, field: string, schemaMessage: string): string {
  const provider = claim.lines[index]?.renderingProvider;
  const who = provider ? `the rendering provider ${provider.firstName} ${provider.lastName}`.replace(/\s+/g, " ").trim() : "the rendering provider";
  const word = PROVIDER_FIELDS[field as ProviderField] ?? field;
  const value = provider && field in PROVIDER_FIELDS ? provider[field as ProviderField] : null;
  const detail = schemaMessage.replace(/\.$/, "");
  const what = !value?.trim() ? `${who} has no ${word}` : `${who}'s ${word} is not valid (${detail.charAt(0).toLowerCase()}${detail.slice(1)})`;
  return `Service line ${index + 1}: ${what}: fix it in ${SETTINGS_PRACTICE}.`;
}

/**
 * Every problem that keeps the claim from an 837P, in words with the claim's field paths: the
 * 837P schema's own checks (codes, NPIs, pointers, dates in the future, subscriber, assignment
 * flags), the practice profile, and what only the database knows (coverage dates, archived
 * records). Empty when the claim can be sent.
 */
export async function listClaimProblems(db: Db | Tx, options: { organizationId: string; claimId: string; now?: Date }): Promise<ClaimProblem[]> {
  const claim = await loadClaim(db, options);
  const billingProvider = await loadBillingProvider(db, options);
  const adjudications = await loadAdjudicationsFor(db, options.organizationId, [claim]);
  return problemsOf(claim, billingProvider, adjudications, options.now ?? new Date());
}

/**
 * Several claims at once, for a batch: one query for the claims and one for the practice, then each
 * claim's 837P input and problems (the same as buildClaim837PInput and listClaimProblems), in the
 * order of `claimIds`. NOT_FOUND when one is not the organization's.
 */
export async function loadClaimsFor837P(
  db: Db | Tx,
  options: { organizationId: string; claimIds: string[]; now?: Date },
): Promise<{ input: TClaim837PInput; problems: ClaimProblem[] }[]> {
  const rows = await db.claim.findMany({ where: { id: { in: options.claimIds }, organizationId: options.organizationId }, include: CLAIM_837P_INCLUDE });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const billingProvider = await loadBillingProvider(db, options);
  const adjudications = await loadAdjudicationsFor(db, options.organizationId, rows);
  const now = options.now ?? new Date();
  return options.claimIds.map((id) => {
    const claim = byId.get(id);
    if (!claim) throw new AppError("NOT_FOUND", "That claim does not exist.");
    return { input: claimInput(claim, billingProvider, adjudications), problems: problemsOf(claim, billingProvider, adjudications, now) };
  });
}

function problemsOf(
  claim: LoadedClaim,
  billingProvider: Awaited<ReturnType<typeof loadBillingProvider>>,
  adjudications: ReadonlyMap<string, PriorAdjudication>,
  now: Date,
): ClaimProblem[] {
  const input = claimInput(claim, billingProvider, adjudications);
  const self = claim.coverage.relationshipCode === "18";
  const problems: ClaimProblem[] = [];
  if (!billingProvider) {
    problems.push(
      { path: "practice.npi", message: `The practice has no NPI: set it in ${SETTINGS_PRACTICE}.` },
      { path: "practice.ein", message: `The practice has no EIN (tax id): set it in ${SETTINGS_PRACTICE}.` },
      { path: "practice.address", message: `The practice has no billing address: set it in ${SETTINGS_PRACTICE}.` },
    );
  }
  const batch: TClaimBatch837PInput = {
    usage: "T",
    createdAt: now,
    timeZone: claim.organization.timezone,
    controlNumbers: { interchange: 1, group: 1, transactionSet: 1 },
    batchReference: "VALIDATION",
    interchangeSender: { qualifier: "ZZ", id: "VALIDATION" },
    interchangeReceiver: { qualifier: "ZZ", id: "VALIDATION" },
    submitter: { name: "VALIDATION", id: "VALIDATION", contactName: "VALIDATION", email: "validation@example.com" },
    receiver: { name: "VALIDATION", id: "VALIDATION" },
    // Without a profile, a well-formed stand-in keeps the file's checks on the claim (the practice's problems are listed above).
    billingProvider: billingProvider ?? {
      organizationName: "VALIDATION",
      npi: "1234567893",
      ein: "123456789",
      taxonomyCode: "207Q00000X",
      address: { line1: "1 VALIDATION", city: "VALIDATION", state: "OR", postalCode: "972011234" },
    },
    claims: [input],
  };
  for (const problem of listClaimBatchProblems(batch)) {
    const path = claimPath(problem.path);
    if (path === null) continue;
    const known = MESSAGES[path];
    const lineProvider = /^lines\.(\d+)\.renderingProvider\.(\w+)/.exec(path);
    const message = lineProvider
      ? lineProviderMessage(claim, Number(lineProvider[1]), lineProvider[2]!, problem.message)
      : known && (path.startsWith("subscriber.") ? self : true) && /required|missing|Use F, M or U|Use I \(|is required/i.test(problem.message)
        ? known
        : withWhereToFix(path, problem.message, self);
    problems.push({ path, message });
  }
  // The schema's cross-field checks do not run while a field of the claim fails its own format,
  // so the ones staff must see in any case are made here too (same words: duplicates are dropped).
  if (self) {
    if (!input.subscriber.birthDate) problems.push({ path: "subscriber.birthDate", message: MESSAGES["subscriber.birthDate"]! });
    if (!input.subscriber.sex) problems.push({ path: "subscriber.sex", message: MESSAGES["subscriber.sex"]! });
    if (!input.subscriber.address) problems.push({ path: "subscriber.address", message: MESSAGES["subscriber.address"]! });
  }
  const today = todayIn(claim.organization.timezone, now);
  claim.lines.forEach((line, index) => {
    line.diagnosisPointers.forEach((pointer, pointerIndex) => {
      if (pointer < 1 || pointer > claim.diagnoses.length) {
        problems.push({
          path: `lines.${index}.diagnosisPointers.${pointerIndex}`,
          message: `Service line ${index + 1} points to diagnosis ${pointer}, but the claim has ${claim.diagnoses.length}.`,
        });
      }
    });
    if (day(line.serviceDate) > today)
      problems.push({ path: `lines.${index}.serviceDate`, message: `Service line ${index + 1} is dated ${day(line.serviceDate)}, in the future.` });
  });
  if (!self && !claim.coverage.subscriberBirthDate) {
    problems.push({ path: "subscriber.birthDate", message: "The subscriber's birth date is missing: add it to the patient's coverage." });
  }
  const { coverage } = claim;
  const payerName = coverage.payer.name;
  if (coverage.archivedAt) problems.push({ path: "coverageId", message: `The coverage with ${payerName} is archived: bill another coverage.` });
  if (claim.patient.archivedAt) problems.push({ path: "patient", message: "The patient is archived and cannot be billed. Restore them first." });
  claim.lines.forEach((line, index) => {
    const start = day(line.serviceDate);
    const end = line.serviceDateEnd ? day(line.serviceDateEnd) : start;
    if (coverage.effectiveTo && end > day(coverage.effectiveTo)) {
      problems.push({
        path: `lines.${index}.serviceDate`,
        message: `Line ${index + 1} is dated ${end}, after the coverage with ${payerName} ended on ${day(coverage.effectiveTo)}.`,
      });
    }
    if (start < day(coverage.effectiveFrom)) {
      problems.push({
        path: `lines.${index}.serviceDate`,
        message: `Line ${index + 1} is dated ${start}, before the coverage with ${payerName} started on ${day(coverage.effectiveFrom)}.`,
      });
    }
  });
  problems.push(...priorAdjudicationProblems(claim.priorClaimId, adjudications));
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\n${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Validates a claim and moves it: no problem → a draft becomes ready; problems → a ready claim
 * goes back to draft, and the problems are stored on the claim (shown next to their fields). A
 * claim in any other state is only checked (nothing is written).
 */
export async function validateClaim(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; claimId: string; now?: Date },
): Promise<{ claim: ClaimView; problems: ClaimProblem[] }> {
  const { organizationId, actor, claimId } = options;
  const now = options.now ?? new Date();
  const problems = await inTransaction(db, async (tx) => {
    const [locked] = await sqlOf(tx).query<{ status: string }>(
      sql`SELECT status FROM claims WHERE id = ${claimId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`,
    );
    if (!locked) throw new AppError("NOT_FOUND", "That claim does not exist.");
    const found = await listClaimProblems(tx, { organizationId, claimId, now });
    const summary =
      found.length === 0
        ? "No problems: ready to submit."
        : `${found.length} problem${found.length === 1 ? "" : "s"}: ${found.map((each) => each.message).join(" ")}`;
    if (locked.status === "draft" || locked.status === "ready") {
      if (found.length === 0 && locked.status === "draft") {
        await transitionClaim(tx, { organizationId, claimId, to: "ready", kind: "validated", actor, message: summary, now });
      } else if (found.length > 0 && locked.status === "ready") {
        await transitionClaim(tx, { organizationId, claimId, to: "draft", kind: "validation_failed", actor, message: summary, now });
      } else if (found.length > 0) {
        await recordClaimEvent(tx, { organizationId, claimId, status: "draft", kind: "validation_failed", actor, message: summary, now });
      }
      if (found.length > 0) await tx.claim.update({ where: { id: claimId }, data: { problems: found } });
      await recordAuditEvent(tx, {
        organizationId,
        actor,
        action: "claim.validated",
        target: { type: "claim", id: claimId },
        after: { problems: found.length },
      });
    }
    return found;
  });
  return { claim: await getClaimOrThrow(db, { organizationId, claimId, now }), problems };
}
