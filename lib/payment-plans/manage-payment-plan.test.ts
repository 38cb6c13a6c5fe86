import { describe, expect, it } from "vitest";
import { createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createPaymentPlan } from "./create-payment-plan";
import { changePlanCard, rescheduleInstallment, skipInstallment } from "./manage-payment-plan";

const database = setupTestDatabase();
const actor = testActor();
const NOW = new Date("2027-01-05T15:00:00Z");

async function cardOnFile(organizationId: string, patientId: string, options: { consent: boolean; isDefault: boolean }) {
  const consent = options.consent
    ? await database.db.paymentConsent.create({
        data: {
          organizationId,
          patientId,
          termsVersion: "t",
          termsText: "I authorize the clinic to charge this card.",
          acceptedBy: "patient_online",
          acceptedAt: NOW,
        },
      })
    : null;
  return database.db.savedPaymentMethod.create({
    data: {
      organizationId,
      patientId,
      stripePaymentMethodId: `pm_${Math.random().toString(36).slice(2)}`,
      brand: "visa",
      last4: options.consent ? "4242" : "0000",
      expMonth: 1,
      expYear: 2030,
      consentedAt: NOW,
      consentId: consent?.id ?? null,
      isDefault: options.isDefault,
    },
  });
}

async function plan() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  await createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId: patient.id, total: 30_000, issuedOn: "2027-01-02" });
  await cardOnFile(org.organizationId, patient.id, { consent: true, isDefault: true });
  const { planId } = await createPaymentPlan(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { patientId: patient.id, installmentCount: 3, frequency: "monthly", startDate: "2027-01-31" },
    now: NOW,
  });
  const installments = await database.db.paymentPlanInstallment.findMany({ where: { planId }, orderBy: { sequence: "asc" } });
  return {
    organizationId: org.organizationId,
    patientId: patient.id,
    planId,
    installments,
    options: { organizationId: org.organizationId, planId, actor, now: NOW },
  };
}

describe("changing a plan", () => {
  it("skipping an installment moves its amount to a new one after the last, keeping the anchor day and the total", async () => {
    const { planId, installments, options } = await plan();
    const { dueDate } = await skipInstallment(database.db, { ...options, installmentId: installments[1]!.id });
    expect(dueDate).toBe("2027-04-30");
    const after = await database.db.paymentPlanInstallment.findMany({ where: { planId }, orderBy: { sequence: "asc" } });
    expect(after.map((row) => [row.sequence, row.status, row.scheduledAmount])).toEqual([
      [1, "scheduled", 10_000],
      [2, "skipped", 10_000],
      [3, "scheduled", 10_000],
      [4, "scheduled", 10_000],
    ]);
    expect((await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).totalAmount).toBe(30_000);
    await expect(skipInstallment(database.db, { ...options, installmentId: installments[1]!.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("reschedules a pending installment to a later day, never into the past", async () => {
    const { installments, options } = await plan();
    await rescheduleInstallment(database.db, { ...options, installmentId: installments[0]!.id, input: { dueDate: "2027-02-07" } });
    expect((await database.db.paymentPlanInstallment.findUniqueOrThrow({ where: { id: installments[0]!.id } })).dueDate.toISOString()).toBe(
      "2027-02-07T00:00:00.000Z",
    );
    await expect(
      rescheduleInstallment(database.db, { ...options, installmentId: installments[0]!.id, input: { dueDate: "2027-01-01" } }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { dueDate: ["Choose today or a later day."] },
    });
  });

  it("changes the card only to one of the patient's cards saved with consent", async () => {
    const { organizationId, patientId, planId, options } = await plan();
    const noConsent = await cardOnFile(organizationId, patientId, { consent: false, isDefault: false });
    await expect(changePlanCard(database.db, { ...options, input: { savedPaymentMethodId: noConsent.id } })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { savedPaymentMethodId: ["Choose a card on file for this patient, saved with their consent."] },
    });
    const other = await cardOnFile(organizationId, patientId, { consent: true, isDefault: false });
    await changePlanCard(database.db, { ...options, input: { savedPaymentMethodId: other.id } });
    expect((await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).savedPaymentMethodId).toBe(other.id);
  });
});
