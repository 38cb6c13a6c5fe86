"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { saveCoverageBenefits, ZCoverageBenefitsInput } from "@/lib/insurance/coverage-benefits";
import { archiveCoverage, createCoverage, updateCoverage, ZCoverageInput } from "@/lib/insurance/coverages";
import { requestClearinghousePoll } from "@/lib/clearinghouse/request-clearinghouse-poll";
import { requestEligibilityCheck } from "@/lib/insurance/eligibility";
import { refreshStaffPages } from "../refresh-staff-pages";

// Flat inputs (not { id, input }) so field errors name the form's fields ("priority", "subscriber.birthDate").
const ZCreateCoverageActionInput = ZCoverageInput.safeExtend({ patientId: zRecordId("Unknown patient.") });
const ZUpdateCoverageActionInput = ZCoverageInput.safeExtend({ coverageId: zRecordId("Unknown coverage.") });
const ZCoverageIdInput = z.object({ coverageId: zRecordId("Unknown coverage.") });

/** Billing staff add a patient's coverage; two of one priority never overlap in dates (422 on `priority`). */
export const createCoverageAction = authedAction(
  { name: "coverage.create", role: "billing", schema: ZCreateCoverageActionInput },
  async ({ patientId, ...input }, auth) => {
    const coverage = await createCoverage(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, patientId, input });
    refreshStaffPages();
    return { id: coverage.id };
  },
);

/** Every change is kept as a new version of the coverage (its history). */
export const updateCoverageAction = authedAction(
  { name: "coverage.update", role: "billing", schema: ZUpdateCoverageActionInput },
  async ({ coverageId, ...input }, auth) => {
    const coverage = await updateCoverage(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, coverageId, input });
    refreshStaffPages();
    return { id: coverage.id };
  },
);

export const archiveCoverageAction = authedAction({ name: "coverage.archive", role: "billing", schema: ZCoverageIdInput }, async ({ coverageId }, auth) => {
  await archiveCoverage(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, coverageId });
  refreshStaffPages();
  return { id: coverageId };
});

const ZSaveBenefitsActionInput = ZCoverageBenefitsInput.safeExtend({ coverageId: zRecordId("Unknown coverage.") });

/** Benefits taken down from a phone call or the payer's portal: verified now, by hand. */
export const saveCoverageBenefitsAction = authedAction(
  { name: "coverage.benefits.save", role: "billing", schema: ZSaveBenefitsActionInput },
  async ({ coverageId, ...input }, auth) => {
    const coverage = await saveCoverageBenefits(await getDb(), {
      organizationId: auth.organization.id,
      actor: auth.actor,
      coverageId,
      input,
      source: "manual",
    });
    refreshStaffPages();
    return { id: coverage.id, version: coverage.version };
  },
);

/**
 * Creates the coverage's 270; its 271 answers later. On an SFTP connection the poll job is asked to
 * send it now (after the check committed); on a manual one staff download it, which sends it.
 */
export const requestEligibilityCheckAction = authedAction(
  { name: "eligibility_check.request", role: "billing", schema: ZCoverageIdInput },
  async ({ coverageId }, auth) => {
    const db = await getDb();
    const check = await requestEligibilityCheck(db, { organizationId: auth.organization.id, actor: auth.actor, coverageId });
    await requestClearinghousePoll(db, { organizationId: auth.organization.id });
    refreshStaffPages();
    return { id: check.id, status: check.status };
  },
);
