import { describe, expect, it } from "vitest";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createCardLink } from "@/lib/card-links/create-card-link";
import { getCardPage } from "@/lib/card-links/get-card-page";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { enrollMembership } from "@/lib/memberships/enroll-membership";
import { createMembershipPlan } from "@/lib/memberships/membership-plans";
import { POST } from "./route";

const database = setupTestDatabase();
const shortIdOf = (url: string) => /\/card\/([0-9A-Za-z]{12})$/.exec(url)?.[1] ?? "";

/** A clinic, a patient with a membership starting next week (no card yet: nothing charged), and the patient's card link. */
async function memberWithLink(firstName = "Ada") {
  const org = await createTestOrganization(database.db);
  const { organizationId, adminActor: actor } = org;
  const patient = await createTestPatient(database.db, { organizationId, firstName, email: `${firstName.toLowerCase()}@example.test` });
  const plan = await createMembershipPlan(database.db, { organizationId, actor, input: { name: "Wellness", amount: 4900, interval: "monthly" } });
  const startDate = addDays(todayIn("America/New_York"), 7);
  const membership = await enrollMembership(database.db, {
    organizationId,
    actor,
    now: new Date(),
    input: { patientId: patient.id, membershipPlanId: plan.id, startDate, sendCardLink: true },
  });
  const link = await createCardLink(database.db, { organizationId, patientId: patient.id, actor, email: false });
  return { organizationId, actor, patientId: patient.id, membershipId: membership.id, token: shortIdOf(link.url) };
}

const cancel = (token: string, membershipId: string) =>
  callRoute(POST, {
    method: "POST",
    path: `/api/card/${token}/memberships/${membershipId}/cancel`,
    params: { token, membershipId },
    body: {},
    headers: { "user-agent": "Mozilla/5.0 (iPhone)" },
  });

describe("POST /api/card/{token}/memberships/{membershipId}/cancel", () => {
  it("the card page lists the patient's live memberships; cancelling one sets it to end at the period's end, once", async () => {
    const { token, membershipId, organizationId } = await memberWithLink();
    const before = await getCardPage(database.db, token);
    expect(before).toMatchObject({ kind: "open", memberships: [{ id: membershipId, planName: "Wellness", amount: 4900, cancelAtPeriodEnd: false }] });
    // Only what the patient needs to see: no patient name, card or staff details.
    expect(Object.keys((before as { memberships: object[] }).memberships[0]!).sort()).toEqual(
      ["amount", "cancelAtPeriodEnd", "currency", "currentPeriodEnd", "id", "interval", "nextChargeDate", "planName", "status"].sort(),
    );

    const response = await cancel(token, membershipId);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id: membershipId, cancelAtPeriodEnd: true });
    const stored = await database.db.patientMembership.findUniqueOrThrow({ where: { id: membershipId } });
    expect(stored).toMatchObject({ cancelAtPeriodEnd: true, cancelRequestedBy: "patient_online", status: "active" });
    expect(await getCardPage(database.db, token)).toMatchObject({ memberships: [{ id: membershipId, cancelAtPeriodEnd: true }] });

    // Asking again changes nothing and sends no second confirmation.
    expect((await cancel(token, membershipId)).status).toBe(200);
    expect(await database.db.email.count({ where: { organizationId, kind: "membership_canceled" } })).toBe(1);
  });

  it("another patient's membership, a malformed id or a bad link is 404 and changes nothing", async () => {
    const first = await memberWithLink("Grace");
    const second = await memberWithLink("Hedy");
    for (const [token, membershipId] of [
      [first.token, second.membershipId],
      [first.token, "not-a-uuid"],
      ["ZZZZZZZZZZZZ", first.membershipId],
    ] as const) {
      const response = await cancel(token, membershipId);
      expect(response.status).toBe(404);
    }
    const stored = await database.db.patientMembership.findMany({ where: { id: { in: [first.membershipId, second.membershipId] } } });
    expect(stored.map((membership) => membership.cancelAtPeriodEnd)).toEqual([false, false]);
  });
});
