import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { callRoute } from "@/tests/api-client";
import { createTestOpenInvoice, createTestOrganization, createTestPatient } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as plans from "./payment-plans/route";
import * as plan from "./payment-plans/[id]/route";
import * as pause from "./payment-plans/[id]/pause/route";
import * as resume from "./payment-plans/[id]/resume/route";
import * as cancel from "./payment-plans/[id]/cancel/route";
import * as reschedule from "./payment-plans/[id]/installments/[installmentId]/reschedule/route";
import * as changeCard from "./payment-plans/[id]/change-card/route";
import { insertCardOnFileRows } from "@/tests/cards-on-file";

const database = setupTestDatabase();

/** A clinic with an API key, a patient owing `total` and a card on file saved with their consent (no Stripe call is made without a down payment). */
async function setup(total = 60_000) {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "EHR sync" } });
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  const invoice =
    total > 0 ? await createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId: patient.id, total, issuedOn: "2026-12-01" }) : null;
  const card = await insertCardOnFileRows(database.db, { organizationId: org.organizationId, patientId: patient.id });
  return { organizationId: org.organizationId, apiKey: key.secret, patientId: patient.id, invoiceId: invoice?.id ?? null, cardId: card.id };
}

const inAMonth = () => new Date(Date.now() + 31 * 86_400_000).toISOString().slice(0, 10);

describe("/api/v1/payment-plans", () => {
  it("creates, lists, gets, pauses, resumes and cancels a plan", async () => {
    const { apiKey, patientId, invoiceId, cardId } = await setup();
    const created = await callRoute(plans.POST, {
      method: "POST",
      path: "/api/v1/payment-plans",
      apiKey,
      body: { patientId, installmentCount: 3, frequency: "monthly", startDate: inAMonth() },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: "active", totalAmount: 60_000, remainingAmount: 60_000, card: { id: cardId, last4: "4242" } });
    expect((created.json!.installments as { scheduledAmount: number }[]).map((row) => row.scheduledAmount)).toEqual([20_000, 20_000, 20_000]);
    expect(created.json!.invoices).toEqual([{ id: invoiceId, number: expect.any(String), amountAtStart: 60_000, amountDue: 60_000 }]);
    const id = created.json!.id as string;

    const list = await callRoute(plans.GET, { path: `/api/v1/payment-plans?patientId=${patientId}`, apiKey });
    expect(list.status).toBe(200);
    expect((list.json!.data as { id: string }[]).map((row) => row.id)).toEqual([id]);
    expect((await callRoute(plan.GET, { path: `/api/v1/payment-plans/${id}`, params: { id }, apiKey })).json).toMatchObject({ id, status: "active" });

    const paused = await callRoute(pause.POST, { method: "POST", path: `/api/v1/payment-plans/${id}/pause`, params: { id }, apiKey });
    expect(paused.json).toMatchObject({ status: "paused", pausedAt: expect.any(String) });
    const again = await callRoute(pause.POST, { method: "POST", path: `/api/v1/payment-plans/${id}/pause`, params: { id }, apiKey });
    expect(again.status).toBe(409);
    expect(again.json!.error!.message).toBe("This plan is paused, so it cannot be paused.");
    expect((await callRoute(resume.POST, { method: "POST", path: `/api/v1/payment-plans/${id}/resume`, params: { id }, apiKey })).json).toMatchObject({
      status: "active",
    });
    const canceled = await callRoute(cancel.POST, { method: "POST", path: `/api/v1/payment-plans/${id}/cancel`, params: { id }, apiKey });
    expect(canceled.json).toMatchObject({ status: "canceled", canceledAt: expect.any(String) });
    expect((canceled.json!.installments as { status: string }[]).map((row) => row.status)).toEqual(["canceled", "canceled", "canceled"]);
    // The invoices are free for a new plan once this one is canceled.
    const next = await callRoute(plans.POST, {
      method: "POST",
      path: "/api/v1/payment-plans",
      apiKey,
      body: { patientId, installmentCount: 2, frequency: "weekly", startDate: inAMonth() },
    });
    expect(next.status).toBe(201);
  });

  it("refuses bad plans with 422 and a message per field, writing nothing", async () => {
    const { organizationId, apiKey, patientId, invoiceId } = await setup(60_000);
    const base = { patientId, installmentCount: 3, frequency: "monthly", startDate: inAMonth() };
    await database.db.autopaySettings.create({ data: { organizationId, maxPlanAmount: 50_000 } });
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, installmentCount: 0 }, "installmentCount"],
      [{ ...base, installmentCount: 61 }, "installmentCount"],
      [{ ...base, startDate: "2020-01-01" }, "startDate"],
      [{ ...base, installmentAmounts: [10_000, 10_000, 10_000] }, "installmentAmounts"],
      [{ ...base, downPaymentAmount: 60_000 }, "downPaymentAmount"],
      [{ ...base, savedPaymentMethodId: "00000000-0000-4000-8000-000000000000" }, "savedPaymentMethodId"],
      [{ ...base, invoiceIds: ["00000000-0000-4000-8000-000000000000"] }, "invoiceIds"],
    ];
    for (const [body, field] of cases) {
      const response = await callRoute(plans.POST, { method: "POST", path: "/api/v1/payment-plans", apiKey, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(response.json!.error!.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    // Above the clinic's maximum.
    const tooMuch = await callRoute(plans.POST, { method: "POST", path: "/api/v1/payment-plans", apiKey, body: base });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json!.error!.fields).toEqual({ invoiceIds: ["$600.00 is above the largest plan this clinic allows ($500.00)."] });
    await database.db.autopaySettings.update({ where: { organizationId }, data: { maxPlanAmount: null } });
    // No card on file and no link asked for.
    await database.db.savedPaymentMethod.updateMany({ where: { patientId }, data: { removedAt: new Date() } });
    const noCard = await callRoute(plans.POST, { method: "POST", path: "/api/v1/payment-plans", apiKey, body: base });
    expect(noCard.json!.error!.fields).toEqual({ savedPaymentMethodId: ["Choose a card on file, or send the patient a link to add one."] });
    // Installments that do not add up, with the amounts in the message.
    const mismatch = await callRoute(plans.POST, {
      method: "POST",
      path: "/api/v1/payment-plans",
      apiKey,
      body: { ...base, sendCardLink: true, installmentAmounts: [20_000, 20_000, 10_000] },
    });
    expect(mismatch.json!.error!.fields).toEqual({ installmentAmounts: ["The installments add up to $500.00, but $600.00 is left after the down payment."] });
    expect(await database.db.paymentPlan.count({ where: { organizationId } })).toBe(0);
    expect(invoiceId).not.toBeNull();
  });

  it("refuses a plan for a patient with no balance, and answers 404 for another clinic's plan or a malformed id", async () => {
    const empty = await setup(0);
    const response = await callRoute(plans.POST, {
      method: "POST",
      path: "/api/v1/payment-plans",
      apiKey: empty.apiKey,
      body: { patientId: empty.patientId, installmentCount: 3, frequency: "monthly", startDate: inAMonth() },
    });
    expect(response.status).toBe(422);
    expect(response.json!.error!.fields).toEqual({ invoiceIds: ["This patient has no balance to put on a plan."] });

    const other = await setup();
    const created = await callRoute(plans.POST, {
      method: "POST",
      path: "/api/v1/payment-plans",
      apiKey: other.apiKey,
      body: { patientId: other.patientId, installmentCount: 2, frequency: "biweekly", startDate: inAMonth() },
    });
    const id = created.json!.id as string;
    expect((await callRoute(plan.GET, { path: `/api/v1/payment-plans/${id}`, params: { id }, apiKey: empty.apiKey })).status).toBe(404);
    expect((await callRoute(cancel.POST, { method: "POST", path: `/api/v1/payment-plans/${id}/cancel`, params: { id }, apiKey: empty.apiKey })).status).toBe(
      404,
    );
    expect((await callRoute(plan.GET, { path: "/api/v1/payment-plans/nope", params: { id: "nope" }, apiKey: empty.apiKey })).status).toBe(404);
  });

  it("reschedules an installment and changes the plan's card; a past day, another patient's card or another clinic's plan is refused", async () => {
    const { organizationId, apiKey, patientId, cardId } = await setup();
    const created = await callRoute(plans.POST, {
      method: "POST",
      path: "/api/v1/payment-plans",
      apiKey,
      body: { patientId, installmentCount: 3, frequency: "monthly", startDate: inAMonth() },
    });
    const id = created.json!.id as string;
    const installments = created.json!.installments as { id: string; dueDate: string }[];
    const second = installments[1]!;
    const path = `/api/v1/payment-plans/${id}/installments/${second.id}/reschedule`;
    const params = { id, installmentId: second.id };
    const past = await callRoute(reschedule.POST, { method: "POST", path, params, apiKey, body: { dueDate: "2020-01-01" } });
    expect(past.status).toBe(422);
    expect(past.json!.error!.fields).toEqual({ dueDate: ["Choose today or a later day."] });
    const badDate = await callRoute(reschedule.POST, { method: "POST", path, params, apiKey, body: { dueDate: "next week" } });
    expect(badDate.status).toBe(422);
    const later = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
    const moved = await callRoute(reschedule.POST, { method: "POST", path, params, apiKey, body: { dueDate: later } });
    expect(moved.status).toBe(200);
    expect((moved.json!.installments as { id: string; dueDate: string }[]).find((row) => row.id === second.id)!.dueDate).toBe(later);

    // A second card of the patient's, with consent: the plan now charges it.
    const other = await database.db.savedPaymentMethod.create({
      data: {
        organizationId,
        patientId,
        stripePaymentMethodId: `pm_other_${patientId.slice(0, 8)}`,
        brand: "mastercard",
        last4: "4444",
        expMonth: 1,
        expYear: 2035,
        consentedAt: new Date(),
        consentId: (await database.db.savedPaymentMethod.findUniqueOrThrow({ where: { id: cardId } })).consentId,
      },
    });
    const changed = await callRoute(changeCard.POST, {
      method: "POST",
      path: `/api/v1/payment-plans/${id}/change-card`,
      params: { id },
      apiKey,
      body: { savedPaymentMethodId: other.id },
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ card: { id: other.id, last4: "4444" } });
    expect(await database.db.auditEvent.findMany({ where: { organizationId, targetId: id }, select: { action: true } })).toEqual(
      expect.arrayContaining([{ action: "payment_plan.installment_rescheduled" }, { action: "payment_plan.card_changed" }]),
    );

    // Another patient's card, and another clinic's key.
    const stranger = await setup();
    const foreignCard = await callRoute(changeCard.POST, {
      method: "POST",
      path: `/api/v1/payment-plans/${id}/change-card`,
      params: { id },
      apiKey,
      body: { savedPaymentMethodId: stranger.cardId },
    });
    expect(foreignCard.status).toBe(422);
    expect(foreignCard.json!.error!.fields).toEqual({ savedPaymentMethodId: ["Choose a card on file for this patient, saved with their consent."] });
    const foreignPlan = await callRoute(reschedule.POST, { method: "POST", path, params, apiKey: stranger.apiKey, body: { dueDate: later } });
    expect(foreignPlan.status).toBe(404);
  });
});
