import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as route from "./route";

const database = setupTestDatabase();

async function clinic(name: string) {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name } });
  return { organizationId: org.organizationId, apiKey: key.secret };
}

const get = (apiKey?: string) => callRoute(route.GET, { path: "/api/v1/autopay-settings", apiKey });
const patch = (apiKey: string, body: unknown) => callRoute(route.PATCH, { method: "PATCH", path: "/api/v1/autopay-settings", apiKey, body });

describe("REST API /api/v1/autopay-settings", () => {
  it("answers the defaults, changes only the fields sent (audited under the key), and only for the key's clinic", async () => {
    const north = await clinic("North sync");
    const south = await clinic("South sync");
    expect((await get(north.apiKey)).json).toEqual({
      retryDays: [1, 3, 7],
      afterLastFailure: "past_due",
      reminderDaysBefore: 3,
      maxPlanAmount: null,
      chargeHour: 8,
      timezone: "America/New_York",
    });
    const changed = await patch(north.apiKey, { retryDays: [2, 5], maxPlanAmount: 500_000 });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ retryDays: [2, 5], afterLastFailure: "past_due", reminderDaysBefore: 3, maxPlanAmount: 500_000, chargeHour: 8 });
    expect((await patch(north.apiKey, { chargeHour: 6, maxPlanAmount: null })).json).toMatchObject({ retryDays: [2, 5], maxPlanAmount: null, chargeHour: 6 });
    expect((await get(north.apiKey)).json).toMatchObject({ retryDays: [2, 5], maxPlanAmount: null, chargeHour: 6 });
    const audits = await database.db.auditEvent.findMany({
      where: { organizationId: north.organizationId, action: "autopay_settings.updated" },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((audit) => [audit.actorLabel, audit.after])).toEqual([
      ["api-key:North sync", { retryDays: [2, 5], afterLastFailure: "past_due", reminderDaysBefore: 3, maxPlanAmount: 500_000, chargeHour: 8 }],
      ["api-key:North sync", { retryDays: [2, 5], afterLastFailure: "past_due", reminderDaysBefore: 3, maxPlanAmount: null, chargeHour: 6 }],
    ]);
    expect((await get(south.apiKey)).json).toMatchObject({ retryDays: [1, 3, 7], chargeHour: 8 });
  });

  it("answers 422 naming each bad field and changes nothing; 401 without a key", async () => {
    const { apiKey, organizationId } = await clinic("Checks");
    const bad = await patch(apiKey, { retryDays: [5, 2], chargeHour: 24, maxPlanAmount: 0 });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json!.error!.fields!).sort()).toEqual(["chargeHour", "maxPlanAmount", "retryDays"]);
    expect(bad.json!.error!.fields!.retryDays![0]).toMatch(/increasing order/);
    const typed = await patch(apiKey, { reminderDaysBefore: "5", afterLastFailure: "forgive", cadence: "weekly" });
    expect(typed.status).toBe(422);
    expect(Object.keys(typed.json!.error!.fields!).sort()).toEqual(expect.arrayContaining(["afterLastFailure", "reminderDaysBefore"]));
    expect(await database.db.autopaySettings.count({ where: { organizationId } })).toBe(0);
    expect((await get()).status).toBe(401);
  });
});
