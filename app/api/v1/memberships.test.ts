import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as plans from "./membership-plans/route";
import * as planRoute from "./membership-plans/[id]/route";
import * as archive from "./membership-plans/[id]/archive/route";
import * as memberships from "./memberships/route";
import * as membership from "./memberships/[id]/route";
import * as pause from "./memberships/[id]/pause/route";
import * as resume from "./memberships/[id]/resume/route";
import * as cancel from "./memberships/[id]/cancel/route";
import * as openapi from "./openapi.json/route";
import { insertCardOnFileRows } from "@/tests/cards-on-file";

const database = setupTestDatabase();

/** A clinic with an API key and a patient with a card on file saved with their consent (a start in the future makes no Stripe call). */
async function setup() {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "EHR sync" } });
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  const card = await insertCardOnFileRows(database.db, { organizationId: org.organizationId, patientId: patient.id });
  return { organizationId: org.organizationId, apiKey: key.secret, patientId: patient.id, cardId: card.id };
}

const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

async function createPlan(apiKey: string, body: Record<string, unknown> = { name: "Direct care", amount: 7_500, interval: "monthly" }) {
  return callRoute(plans.POST, { method: "POST", path: "/api/v1/membership-plans", apiKey, body });
}

describe("/api/v1/membership-plans", () => {
  it("creates, lists, gets, edits and archives plans; refuses bad input with a message per field", async () => {
    const { apiKey } = await setup();
    const created = await createPlan(apiKey, { name: "  Direct care ", description: "Visits included", amount: 7_500, interval: "monthly" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "Direct care", amount: 7_500, currency: "USD", interval: "monthly", archivedAt: null, activeMembers: 0 });
    const id = created.json!.id as string;
    const patched = await callRoute(planRoute.PATCH, {
      method: "PATCH",
      path: `/api/v1/membership-plans/${id}`,
      params: { id },
      apiKey,
      body: { amount: 8_000 },
    });
    expect(patched.json).toMatchObject({ name: "Direct care", description: "Visits included", amount: 8_000 });
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "", amount: 5_000, interval: "monthly" }, "name"],
      [{ name: "Direct care", amount: 5_000, interval: "monthly" }, "name"],
      [{ name: "Cheap", amount: 10, interval: "monthly" }, "amount"],
      [{ name: "Huge", amount: 10_000_001, interval: "monthly" }, "amount"],
      [{ name: "Weekly", amount: 5_000, interval: "weekly" }, "interval"],
      [{ name: "Extra", amount: 5_000, interval: "monthly", color: "red" }, "color"],
    ];
    for (const [body, field] of cases) {
      const response = await createPlan(apiKey, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(response.json!.error!.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const archived = await callRoute(archive.POST, { method: "POST", path: `/api/v1/membership-plans/${id}/archive`, params: { id }, apiKey });
    expect(archived.json).toMatchObject({ archivedAt: expect.any(String) });
    expect((await callRoute(plans.GET, { path: "/api/v1/membership-plans", apiKey })).json).toEqual({ data: [] });
    const all = await callRoute(plans.GET, { path: "/api/v1/membership-plans?includeArchived=true", apiKey });
    expect((all.json!.data as { id: string }[]).map((row) => row.id)).toEqual([id]);
    const stranger = await setup();
    expect((await callRoute(planRoute.GET, { path: `/api/v1/membership-plans/${id}`, params: { id }, apiKey: stranger.apiKey })).status).toBe(404);
  });
});

describe("/api/v1/memberships", () => {
  it("enrolls, lists, gets, pauses, resumes and cancels a membership", async () => {
    const { apiKey, patientId, cardId } = await setup();
    const membershipPlanId = (await createPlan(apiKey)).json!.id as string;
    const startDate = inAWeek();
    const enrolled = await callRoute(memberships.POST, {
      method: "POST",
      path: "/api/v1/memberships",
      apiKey,
      body: { patientId, membershipPlanId, startDate },
      headers: { "idempotency-key": "enroll-1" },
    });
    expect(enrolled.status).toBe(201);
    expect(enrolled.json).toMatchObject({ status: "active", startDate, nextChargeDate: startDate, planName: "Direct care", card: { id: cardId }, periods: [] });
    const id = enrolled.json!.id as string;
    // The same key and body: the stored answer, nothing written twice.
    const replay = await callRoute(memberships.POST, {
      method: "POST",
      path: "/api/v1/memberships",
      apiKey,
      body: { patientId, membershipPlanId, startDate },
      headers: { "idempotency-key": "enroll-1" },
    });
    expect(replay.json!.id).toBe(id);
    const twice = await callRoute(memberships.POST, { method: "POST", path: "/api/v1/memberships", apiKey, body: { patientId, membershipPlanId, startDate } });
    expect(twice.status).toBe(422);
    expect(twice.json!.error!.fields).toEqual({ membershipPlanId: ["This patient is already a member of this plan."] });

    const list = await callRoute(memberships.GET, { path: `/api/v1/memberships?patientId=${patientId}&status=active`, apiKey });
    expect(list.json).toMatchObject({ data: [{ id, status: "active" }], nextCursor: null });
    expect((await callRoute(membership.GET, { path: `/api/v1/memberships/${id}`, params: { id }, apiKey })).json).toMatchObject({ id, refundableAmount: 0 });

    const paused = await callRoute(pause.POST, { method: "POST", path: `/api/v1/memberships/${id}/pause`, params: { id }, apiKey });
    expect(paused.json).toMatchObject({ status: "paused", nextChargeDate: null });
    const again = await callRoute(pause.POST, { method: "POST", path: `/api/v1/memberships/${id}/pause`, params: { id }, apiKey });
    expect(again.status).toBe(409);
    expect(again.json!.error!.message).toBe("This membership is paused, so it cannot be paused.");
    expect((await callRoute(resume.POST, { method: "POST", path: `/api/v1/memberships/${id}/resume`, params: { id }, apiKey })).json).toMatchObject({
      status: "active",
    });
    const badCancel = await callRoute(cancel.POST, {
      method: "POST",
      path: `/api/v1/memberships/${id}/cancel`,
      params: { id },
      apiKey,
      body: { when: "later" },
    });
    expect(badCancel.status).toBe(422);
    expect(Object.keys(badCancel.json!.error!.fields ?? {})).toEqual(["when"]);
    const tooMuch = await callRoute(cancel.POST, {
      method: "POST",
      path: `/api/v1/memberships/${id}/cancel`,
      params: { id },
      apiKey,
      body: { when: "now", refundAmount: 100 },
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json!.error!.fields).toEqual({ refundAmount: ["Nothing of the current period can be refunded."] });
    const ending = await callRoute(cancel.POST, {
      method: "POST",
      path: `/api/v1/memberships/${id}/cancel`,
      params: { id },
      apiKey,
      body: { when: "period_end" },
    });
    expect(ending.json).toMatchObject({ status: "active", cancelAtPeriodEnd: true, cancelRequestedBy: "staff_on_behalf" });
    const now = await callRoute(cancel.POST, { method: "POST", path: `/api/v1/memberships/${id}/cancel`, params: { id }, apiKey, body: { when: "now" } });
    expect(now.json).toMatchObject({ status: "canceled", canceledAt: expect.any(String) });
  });

  it("refuses bad enrollments with 422 per field, writing nothing, and answers 404 for another clinic's membership or plan", async () => {
    const { organizationId, apiKey, patientId } = await setup();
    const membershipPlanId = (await createPlan(apiKey)).json!.id as string;
    const base = { patientId, membershipPlanId, startDate: inAWeek() };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, startDate: "2020-01-01" }, "startDate"],
      [{ ...base, startDate: "2027-02-30" }, "startDate"],
      [{ ...base, savedPaymentMethodId: "00000000-0000-4000-8000-000000000000" }, "savedPaymentMethodId"],
      [{ ...base, membershipPlanId: "00000000-0000-4000-8000-000000000000" }, "membershipPlanId"],
      [{ ...base, membershipPlanId: "nope" }, "membershipPlanId"],
    ];
    for (const [body, field] of cases) {
      const response = await callRoute(memberships.POST, { method: "POST", path: "/api/v1/memberships", apiKey, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(response.json!.error!.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    // No card on file and no link asked for.
    await database.db.savedPaymentMethod.updateMany({ where: { patientId }, data: { removedAt: new Date() } });
    const noCard = await callRoute(memberships.POST, { method: "POST", path: "/api/v1/memberships", apiKey, body: base });
    expect(noCard.json!.error!.fields).toEqual({ savedPaymentMethodId: ["Choose a card on file, or send the patient a link to add one."] });
    expect(await database.db.patientMembership.count({ where: { organizationId } })).toBe(0);

    const withLink = await callRoute(memberships.POST, { method: "POST", path: "/api/v1/memberships", apiKey, body: { ...base, sendCardLink: true } });
    expect(withLink.status).toBe(201);
    const id = withLink.json!.id as string;
    const stranger = await setup();
    expect((await callRoute(membership.GET, { path: `/api/v1/memberships/${id}`, params: { id }, apiKey: stranger.apiKey })).status).toBe(404);
    expect((await callRoute(pause.POST, { method: "POST", path: `/api/v1/memberships/${id}/pause`, params: { id }, apiKey: stranger.apiKey })).status).toBe(
      404,
    );
    expect((await callRoute(membership.GET, { path: "/api/v1/memberships/nope", params: { id: "nope" }, apiKey })).status).toBe(404);
    const foreignPlan = await callRoute(memberships.POST, {
      method: "POST",
      path: "/api/v1/memberships",
      apiKey: stranger.apiKey,
      body: { patientId: stranger.patientId, membershipPlanId, startDate: inAWeek() },
    });
    expect(foreignPlan.status).toBe(422);
    expect(Object.keys(foreignPlan.json!.error!.fields ?? {})).toEqual(["membershipPlanId"]);
  });

  it("documents the membership routes in the OpenAPI document", async () => {
    const document = (await callRoute(openapi.GET, { path: "/api/v1/openapi.json" })).json!;
    expect(Object.keys(document.paths as object)).toEqual(
      expect.arrayContaining([
        "/membership-plans",
        "/membership-plans/{id}",
        "/membership-plans/{id}/archive",
        "/memberships",
        "/memberships/{id}",
        "/memberships/{id}/pause",
        "/memberships/{id}/resume",
        "/memberships/{id}/cancel",
      ]),
    );
  });
});
