import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { Db, Tx } from "@/lib/db/client";
import type { EligibilityCheck } from "@/lib/db/generated/client";
import { inTransaction } from "@/lib/db/in-transaction";
import { nextCounterValue } from "@/lib/db/locks";
import { AppError, type FieldErrors } from "@/lib/errors";
import { todayIn } from "@/lib/invoices/dates";
import { build270, Z270Input, type T270Input } from "@/lib/x12/build-270";
import { read271, type Benefit271, type Person271, type Rejection271, type Response271 } from "@/lib/x12/read-271";
import { saveCoverageBenefits } from "./coverage-benefits";
import { getCoverageOrThrow } from "./coverages";
import { benefitsAfterEligibility } from "./eligibility-benefits";
import { toEligibilityCheckView } from "./eligibility-check-view";
import type { EligibilityBenefitView, EligibilityCheckView } from "./insurance.types";

/** Service type codes asked about in a 270 (EQ01): 30 = health benefit plan coverage. */
export const ZEligibilityCheckInput = z.strictObject({
  serviceTypeCodes: z
    .array(z.string().regex(/^[A-Z0-9]{1,2}$/, "A service type code is one or two letters or digits (30 = health benefit plan coverage)."))
    .min(1, "Ask about at least one service type.")
    .max(99, "At most 99 service types.")
    .refine((codes) => new Set(codes).size === codes.length, "Ask about each service type once.")
    .optional(),
});
export type TEligibilityCheckInput = z.input<typeof ZEligibilityCheckInput>;

/** What applying a 271 did, one row per eligibility check it answered. */
export type EligibilityResponseApplied = { checkId: string; message: string };

/** Our trace number (BHT03 and TRN02): "EC" and the interchange control number, so unique in the organization. */
function traceNumberOf(interchangeControlNumber: number): string {
  return `EC${String(interchangeControlNumber).padStart(9, "0")}`;
}

/** Where each 270 input field comes from, so a refusal names what staff can fix. */
const FIELD_SOURCES: [RegExp, string, string][] = [
  [/^provider\.npi/, "practice.npi", "The practice has no valid NPI: set it in Settings → Practice."],
  [/^provider\./, "practice.legalName", "The practice's legal name cannot be written in X12: fix it in Settings → Practice."],
  [/^traceAssigner/, "practice.ein", "The practice has no valid EIN: set it in Settings → Practice."],
  [/^payer\./, "payer", "The payer's name or payer id cannot be written in X12: fix it in Settings → Payers."],
  [/^(interchange|application)/, "clearinghouse", "The clearinghouse submitter or receiver id is not valid: fix it in Settings → Clearinghouse."],
  [/^subscriber\.memberId/, "memberId", "The member id cannot be written in X12 (no ~ * : ^, at most 80 characters)."],
];

function refusalOf(error: z.ZodError, request: T270Input): AppError {
  const fields: FieldErrors = {};
  const patientIsSubscriber = request.dependent === null;
  for (const issue of error.issues) {
    const path = issue.path.join(".");
    const source = FIELD_SOURCES.find(([pattern]) => pattern.test(path));
    let field: string;
    let message: string;
    if (source) [, field, message] = source;
    else if (path === "dependent.birthDate" && !request.dependent?.birthDate) {
      field = "patient.birthDate";
      message = "The patient has no birth date: add it on the patient page (the payer finds a dependent by name and birth date).";
    } else if (
      /^subscriber\.(firstName|lastName)$/.test(path) &&
      !patientIsSubscriber &&
      !request.subscriber[path.endsWith("firstName") ? "firstName" : "lastName"]
    ) {
      field = "subscriber";
      message = "The coverage has no subscriber name: edit the coverage.";
    } else if (path.startsWith("dependent.") || (patientIsSubscriber && path.startsWith("subscriber."))) {
      field = `patient.${path.split(".")[1] ?? ""}`;
      message = `The patient's ${path.endsWith("birthDate") ? "birth date" : "record"}: ${issue.message}`;
    } else {
      field = path.startsWith("subscriber.") ? path : "coverage";
      message = `The subscriber's ${path.endsWith("birthDate") ? "birth date" : "details"}: ${issue.message}`;
    }
    fields[field] = [...(fields[field] ?? []), message].filter((each, index, all) => all.indexOf(each) === index);
  }
  return new AppError("VALIDATION_FAILED", "The eligibility request cannot be written as entered.", { fields, cause: error });
}

/**
 * Builds a 270 for a coverage and records the check as "requested", in one transaction: ISA13 from the
 * organization's "x12_interchange" counter (shared with 837 batches, so no interchange number repeats)
 * and GS06 from "x12_group" (so a 999 answering the 270 can never be taken for an 837 batch's), the trace
 * number (BHT03 and TRN02) made from ISA13. The patient is the subscriber (relationship 18) or a
 * dependent (2000D). Needs the practice profile (NPI, EIN) and the clearinghouse settings; a refusal
 * names each missing piece, and rolls the counters back.
 */
export async function requestEligibilityCheck(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; coverageId: string; serviceTypeCodes?: string[]; now?: Date },
): Promise<EligibilityCheckView> {
  const input = ZEligibilityCheckInput.parse({ serviceTypeCodes: options.serviceTypeCodes });
  if (!z.uuid().safeParse(options.coverageId).success) throw new AppError("NOT_FOUND", "That coverage does not exist.");
  const serviceTypeCodes = input.serviceTypeCodes ?? ["30"];
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const { organizationId } = options;
    // One after the other: a transaction is one connection.
    const coverage = await tx.coverage.findFirst({ where: { id: options.coverageId, organizationId }, include: { payer: true, patient: true } });
    const practice = await tx.practiceProfile.findUnique({ where: { organizationId } });
    const clearinghouse = await tx.clearinghouseSettings.findUnique({ where: { organizationId } });
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true } });
    if (!coverage) throw new AppError("NOT_FOUND", "That coverage does not exist.");
    if (coverage.archivedAt) throw new AppError("CONFLICT", "This coverage is archived: its eligibility cannot be checked.");
    const missing: FieldErrors = {};
    if (!practice) missing.practice = ["The practice has no NPI: set it in Settings → Practice."];
    if (!clearinghouse) missing.clearinghouse = ["Set up the clearinghouse (submitter and receiver ids) in Settings → Clearinghouse."];
    if (!practice || !clearinghouse) throw new AppError("VALIDATION_FAILED", "The eligibility request cannot be written yet.", { fields: missing });

    const patient = coverage.patient;
    const patientIsSubscriber = coverage.relationshipCode === "18";
    const patientPerson = {
      lastName: patient.lastName,
      firstName: patient.firstName,
      birthDate: patient.dateOfBirth?.toISOString().slice(0, 10),
      sex: (patient.sex ?? undefined) as "F" | "M" | "U" | undefined,
    };
    const interchange = await nextCounterValue(tx, { organizationId, counter: "x12_interchange" });
    const group = await nextCounterValue(tx, { organizationId, counter: "x12_group" });
    const traceNumber = traceNumberOf(interchange);
    const request: T270Input = {
      usage: clearinghouse.usageIndicator === "T" ? "T" : "P",
      createdAt: now,
      timeZone: organization.timezone,
      controlNumbers: { interchange, group, transactionSet: 1 },
      interchangeSender: { qualifier: "ZZ", id: clearinghouse.submitterId },
      interchangeReceiver: { qualifier: "ZZ", id: clearinghouse.receiverId },
      traceNumber,
      traceAssigner: practice.ein,
      payer: { name: coverage.payer.name, payerId: coverage.payer.payerId },
      provider: { organizationName: practice.legalName, npi: practice.npi },
      subscriber: patientIsSubscriber
        ? { ...patientPerson, memberId: coverage.memberId, groupNumber: coverage.groupNumber ?? undefined }
        : {
            lastName: coverage.subscriberLastName ?? "",
            firstName: coverage.subscriberFirstName ?? "",
            middleName: coverage.subscriberMiddleName ?? undefined,
            birthDate: coverage.subscriberBirthDate?.toISOString().slice(0, 10),
            sex: (coverage.subscriberSex ?? undefined) as "F" | "M" | "U" | undefined,
            memberId: coverage.memberId,
            groupNumber: coverage.groupNumber ?? undefined,
          },
      dependent: patientIsSubscriber
        ? null
        : { ...patientPerson, birthDate: patientPerson.birthDate ?? "", relationshipCode: coverage.relationshipCode as "19" },
      serviceDate: todayIn(organization.timezone, now),
      serviceTypeCodes,
    };
    const parsed = Z270Input.safeParse(request);
    if (!parsed.success) throw refusalOf(parsed.error, request);
    const requestX12 = build270(request);

    const check = await tx.eligibilityCheck.create({
      data: {
        organizationId,
        coverageId: coverage.id,
        status: "requested",
        serviceTypeCodes,
        interchangeControlNumber: interchange,
        traceNumber,
        requestX12,
        requestedBy: options.actor.label.slice(0, 200),
        requestedAt: now,
      },
    });
    await recordAuditEvent(tx, {
      organizationId,
      actor: options.actor,
      action: "eligibility_check.requested",
      target: { type: "eligibility_check", id: check.id },
      after: { coverageId: coverage.id, traceNumber, interchangeControlNumber: interchange, serviceTypeCodes },
    });
    return toEligibilityCheckView(check);
  });
}

/** A benefit as stored on the check and shown: the shared view's fields only. */
function toBenefitView(benefit: Benefit271): EligibilityBenefitView {
  return {
    kind: benefit.kind,
    serviceTypeCode: benefit.serviceTypeCode,
    serviceTypeLabel: benefit.serviceTypeLabel,
    coverageLevel: benefit.coverageLevel,
    timePeriod: benefit.timePeriod,
    amount: benefit.amount,
    percentBasisPoints: benefit.percentBasisPoints,
    inNetwork: benefit.inNetwork,
    description: benefit.description,
  };
}

type Answer = { check: EligibilityCheck; response: Response271; person: Person271 | null };

/** What the 271 says about one check: answered (active, no rejection) or failed with the reasons in words. */
function outcomeOf(answer: Answer): { status: "answered" | "failed"; active: boolean | null; problems: string[]; benefits: Benefit271[] } {
  const rejections: Rejection271[] = [...answer.response.rejections, ...(answer.person?.rejections ?? [])];
  const problems = rejections.map((rejection) => rejection.message);
  const active = answer.person?.active ?? null;
  const inactive = answer.person?.benefits.find((benefit) => benefit.kind === "inactive");
  if (active === false) problems.push(`The payer says the coverage is not active: ${inactive?.description ?? "inactive."}`);
  if (!answer.person && rejections.length === 0) problems.push("The 271 says nothing about the subscriber or the dependent.");
  else if (active === null && rejections.length === 0) problems.push("The 271 does not say whether the coverage is active.");
  const status = problems.length === 0 && active === true ? "answered" : "failed";
  return { status, active, problems, benefits: answer.person?.benefits ?? [] };
}

/**
 * Reads a 271 and applies it, inside the caller's transaction when given one (the clearinghouse import)
 * or a new one: each answer is matched to its check by our trace number (TRN*2 echoed at the subscriber
 * or dependent level, or BHT03 when the payer rejected the request above those levels). Each matched
 * check still "requested" gets the response, its benefits in words and becomes "answered" (coverage
 * active, no rejection) or "failed" (AAA reasons or inactive, in words); an answered check writes the
 * benefits into the coverage through saveCoverageBenefits (source "eligibility": office visit co-pay,
 * coinsurance, deductible and out-of-pocket with met = max − remaining; see benefitsAfterEligibility).
 * A malformed 271, or one that matches no check of this organization or only checks already answered,
 * is refused (422) with nothing written.
 */
export async function applyEligibilityResponse(
  tx: Db | Tx,
  options: { organizationId: string; actor: AuditActor; content: string; fileId?: string | null; now?: Date },
): Promise<EligibilityResponseApplied[]> {
  const { organizationId } = options;
  const read = read271(options.content);
  const now = options.now ?? new Date();
  const keys = new Set<string>();
  for (const response of read.responses) {
    if (response.reference) keys.add(response.reference);
    for (const person of response.people) for (const trace of [...person.traceNumbers, ...person.payerTraceNumbers]) keys.add(trace);
  }
  const refuse = (message: string): never => {
    throw new AppError("VALIDATION_FAILED", message, { fields: { file: [message] } });
  };

  return inTransaction(tx, async (tx) => {
    const checks = await tx.eligibilityCheck.findMany({ where: { organizationId, traceNumber: { in: [...keys] } } });
    const byTrace = new Map(checks.map((check) => [check.traceNumber, check]));
    const answers = new Map<string, Answer>();
    for (const response of read.responses) {
      let matched = false;
      for (const person of response.people) {
        const trace = [...person.traceNumbers, ...person.payerTraceNumbers].find((each) => byTrace.has(each));
        const check = trace ? byTrace.get(trace) : undefined;
        if (check && !answers.has(check.id)) {
          answers.set(check.id, { check, response, person });
          matched = true;
        }
      }
      const check = byTrace.get(response.reference);
      if (!matched && check && !answers.has(check.id)) answers.set(check.id, { check, response, person: null });
    }
    if (answers.size === 0) {
      const traces = [...keys].join(", ") || "none";
      refuse(`This 271 answers no eligibility check of this clinic (trace numbers and references in it: ${traces}).`);
    }
    const pending = [...answers.values()].filter((answer) => answer.check.status === "requested");
    if (pending.length === 0) {
      const first = [...answers.values()][0]?.check;
      refuse(
        `This 271 answers eligibility check ${first?.traceNumber ?? ""}, which was already answered on ${first?.answeredAt?.toISOString().slice(0, 10) ?? "an earlier day"}: nothing was changed.`,
      );
    }

    const results: EligibilityResponseApplied[] = [];
    for (const answer of answers.values()) {
      if (answer.check.status !== "requested") {
        results.push({ checkId: answer.check.id, message: `Eligibility check ${answer.check.traceNumber} was already answered: not applied again.` });
        continue;
      }
      const outcome = outcomeOf(answer);
      // Only a check still requested is answered: a concurrent import of another copy finds it done.
      const updated = await tx.eligibilityCheck.updateMany({
        where: { id: answer.check.id, status: "requested" },
        data: {
          status: outcome.status,
          active: outcome.active,
          benefits: outcome.benefits.map(toBenefitView),
          problems: outcome.problems,
          responseX12: options.content,
          answeredAt: now,
        },
      });
      if (updated.count === 0) {
        results.push({ checkId: answer.check.id, message: `Eligibility check ${answer.check.traceNumber} was already answered: not applied again.` });
        continue;
      }
      let message: string;
      if (outcome.status === "answered") {
        const coverage = await getCoverageOrThrow(tx, { organizationId, coverageId: answer.check.coverageId });
        if (coverage.archivedAt)
          message = `Eligibility check ${answer.check.traceNumber}: coverage active; the coverage is archived, so its benefits were left as they were.`;
        else {
          try {
            await saveCoverageBenefits(tx, {
              organizationId,
              actor: options.actor,
              coverageId: coverage.id,
              input: benefitsAfterEligibility(coverage.benefits, outcome.benefits),
              source: "eligibility",
              verifiedAt: now,
            });
          } catch (error) {
            if (!(error instanceof z.ZodError)) throw error;
            const problems = error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join(" ");
            refuse(`The benefits in this 271 cannot be written to the ${coverage.payer.name} coverage (${problems}): nothing was changed.`);
          }
          message = `Eligibility check ${answer.check.traceNumber}: coverage active; benefits written to the ${coverage.payer.name} coverage.`;
        }
      } else message = `Eligibility check ${answer.check.traceNumber}: not confirmed. ${outcome.problems.join(" ")}`;
      await recordAuditEvent(tx, {
        organizationId,
        actor: options.actor,
        action: `eligibility_check.${outcome.status}`,
        target: { type: "eligibility_check", id: answer.check.id },
        after: { coverageId: answer.check.coverageId, active: outcome.active, problems: outcome.problems, fileId: options.fileId ?? null },
      });
      results.push({ checkId: answer.check.id, message });
    }
    return results;
  });
}

/** A coverage's eligibility checks, newest first (404 for another clinic's coverage). */
export async function listEligibilityChecks(db: Db | Tx, options: { organizationId: string; coverageId: string }): Promise<EligibilityCheckView[]> {
  if (!z.uuid().safeParse(options.coverageId).success) throw new AppError("NOT_FOUND", "That coverage does not exist.");
  const coverage = await db.coverage.findFirst({ where: { id: options.coverageId, organizationId: options.organizationId }, select: { id: true } });
  if (!coverage) throw new AppError("NOT_FOUND", "That coverage does not exist.");
  const checks = await db.eligibilityCheck.findMany({
    where: { organizationId: options.organizationId, coverageId: coverage.id },
    orderBy: [{ requestedAt: "desc" }, { interchangeControlNumber: "desc" }],
  });
  return checks.map(toEligibilityCheckView);
}

async function findCheckOrThrow(db: Db | Tx, options: { organizationId: string; checkId: string }): Promise<EligibilityCheck> {
  const check = z.uuid().safeParse(options.checkId).success
    ? await db.eligibilityCheck.findFirst({ where: { id: options.checkId, organizationId: options.organizationId } })
    : null;
  if (!check) throw new AppError("NOT_FOUND", "That eligibility check does not exist.");
  return check;
}

/** One eligibility check of the organization (NOT_FOUND for another clinic's). */
export async function getEligibilityCheckOrThrow(db: Db | Tx, options: { organizationId: string; checkId: string }): Promise<EligibilityCheckView> {
  return toEligibilityCheckView(await findCheckOrThrow(db, options));
}

/** The name a check's 270 travels under (download and SFTP upload). */
export const eligibilityRequestFileName = (traceNumber: string) => `270-${traceNumber}.x12`;

/**
 * The 270 file of a check, as written, to download or send. On a manual connection (staff carry
 * the file to the clearinghouse themselves) handing it out is sending it: the first download sets
 * sentAt (later ones leave it). On an SFTP connection the poll sends it (pollClearinghouse), so a
 * download changes nothing. With an actor, the download is audited ("eligibility_check.downloaded").
 */
export async function getEligibilityRequestFile(
  db: Db | Tx,
  options: { organizationId: string; checkId: string; actor?: AuditActor; now?: Date },
): Promise<{ fileName: string; content: string }> {
  const { organizationId } = options;
  const check = await findCheckOrThrow(db, options);
  const fileName = eligibilityRequestFileName(check.traceNumber);
  const settings = await db.clearinghouseSettings.findUnique({ where: { organizationId }, select: { connection: true } });
  const manual = settings?.connection !== "sftp";
  if ((manual && !check.sentAt) || options.actor) {
    await inTransaction(db, async (tx) => {
      // Only the first download sends it: a concurrent one finds sentAt set and leaves it.
      const marked =
        manual && !check.sentAt
          ? (
              await tx.eligibilityCheck.updateMany({
                where: { id: check.id, organizationId, sentAt: null },
                data: { sentAt: options.now ?? new Date(), sendError: null },
              })
            ).count > 0
          : false;
      if (options.actor) {
        await recordAuditEvent(tx, {
          organizationId,
          actor: options.actor,
          action: "eligibility_check.downloaded",
          target: { type: "eligibility_check", id: check.id },
          after: { fileName, markedSent: marked },
        });
      }
    });
  }
  return { fileName, content: check.requestX12 };
}
