import { beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_AUTOPAY_SETTINGS, getAutopaySettings } from "@/lib/autopay/get-autopay-settings";
import type { TUpdateAutopaySettingsInput } from "@/lib/autopay/update-autopay-settings";
import { createTestOrganization } from "@/tests/factories";
import { actionSessions } from "@/tests/action-sessions";
import { setupTestDatabase } from "@/tests/test-database";

/**
 * Autopay settings through the real session check (lib/auth/session.ts → the membership's role in
 * the database); only next-auth's cookie reading, Next's request scope and its forbidden()/redirect()
 * interrupts are stood in for. Admins change the rules; billing staff and viewers read them.
 */
const claims = vi.hoisted(() => ({ current: null as { userId: string; sessionId: string } | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => claims.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "autopay-settings-test" }) }));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/navigation", () => ({
  forbidden: () => {
    throw new Error("403 forbidden page");
  },
  redirect: (url: string) => {
    throw new Error(`redirect to ${url}`);
  },
}));
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { updateAutopaySettingsAction } = await import("./update-autopay-settings");
const { default: AutopaySettingsPage } = await import("@/app/(staff)/app/settings/autopay/page");
const { default: OrganizationSettingsPage } = await import("@/app/(staff)/app/settings/page");

const database = setupTestDatabase();

const { clinicWith } = actionSessions(database, claims);

/** What the form sends for the defaults. */
const formDefaults: TUpdateAutopaySettingsInput = {
  retryDays: "1, 3, 7",
  afterLastFailure: "past_due",
  reminderDaysBefore: "3",
  maxPlanAmount: "",
  chargeHour: "8",
};

beforeEach(() => {
  claims.current = null;
});

describe("autopay settings", () => {
  it("an admin saves the form's text: the engine's settings change, one audit event holds before and after", async () => {
    const org = await clinicWith("admin");
    const result = await updateAutopaySettingsAction({
      retryDays: " 2,5 ,10",
      afterLastFailure: "defaulted",
      reminderDaysBefore: "0",
      maxPlanAmount: "$2,500.50",
      chargeHour: "23",
    });
    expect(result).toEqual({ ok: true, data: { changed: true } });
    const settings = await getAutopaySettings(database.db, org.organizationId);
    expect(settings).toMatchObject({ retryDays: [2, 5, 10], afterLastFailure: "defaulted", reminderDaysBefore: 0, maxPlanAmount: 250_050, chargeHour: 23 });
    const audits = await database.db.auditEvent.findMany({ where: { organizationId: org.organizationId, action: "autopay_settings.updated" } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorUserId: org.adminUserId,
      before: { ...DEFAULT_AUTOPAY_SETTINGS, retryDays: [1, 3, 7] },
      after: { retryDays: [2, 5, 10], afterLastFailure: "defaulted", reminderDaysBefore: 0, maxPlanAmount: 250_050, chargeHour: 23 },
    });

    // Saving the same values again writes nothing; clearing the limit saves null, audited against the previous values.
    expect(
      await updateAutopaySettingsAction({
        retryDays: "2, 5, 10",
        afterLastFailure: "defaulted",
        reminderDaysBefore: 0,
        maxPlanAmount: "2500.50",
        chargeHour: 23,
      }),
    ).toEqual({
      ok: true,
      data: { changed: false },
    });
    expect(await updateAutopaySettingsAction({ ...formDefaults, retryDays: "1" })).toEqual({ ok: true, data: { changed: true } });
    const last = await database.db.auditEvent.findMany({
      where: { organizationId: org.organizationId, action: "autopay_settings.updated" },
      orderBy: { createdAt: "asc" },
    });
    expect(last).toHaveLength(2);
    expect(last[1]).toMatchObject({ before: { maxPlanAmount: 250_050, retryDays: [2, 5, 10] }, after: { maxPlanAmount: null, retryDays: [1] } });
    await expect(AutopaySettingsPage()).resolves.toBeTruthy();
  });

  it("answers bad values with a message per field and saves nothing", async () => {
    const org = await clinicWith("admin");
    const cases: [Partial<TUpdateAutopaySettingsInput>, string, RegExp][] = [
      [{ retryDays: "3, 1" }, "retryDays", /increasing order/],
      [{ retryDays: "3, 3" }, "retryDays", /increasing order/],
      [{ retryDays: "1, 2, 3, 4" }, "retryDays", /At most 3 retries/],
      [{ retryDays: "" }, "retryDays", /Enter 1 to 3 retry days/],
      [{ retryDays: "0, 31" }, "retryDays", /from 1 to 30/],
      [{ retryDays: "1.5" }, "retryDays", /whole number/],
      [{ reminderDaysBefore: "15" }, "reminderDaysBefore", /from 0 to 14/],
      [{ reminderDaysBefore: "-1" }, "reminderDaysBefore", /from 0 to 14/],
      [{ chargeHour: "24" }, "chargeHour", /from 0 to 23/],
      [{ maxPlanAmount: "12.345" }, "maxPlanAmount", /amount in USD/],
      [{ maxPlanAmount: "0" }, "maxPlanAmount", /amount in USD/],
      [{ afterLastFailure: "forgive" as "past_due" }, "afterLastFailure", /Choose what a plan becomes/],
    ];
    for (const [change, field, message] of cases) {
      const result = await updateAutopaySettingsAction({ ...formDefaults, ...change });
      expect(result.ok, JSON.stringify(change)).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe("VALIDATION_FAILED");
      expect(Object.keys(result.error.fields ?? {}), JSON.stringify(change)).toEqual([field]);
      expect(result.error.fields![field]![0]).toMatch(message);
    }
    // Two bad fields at once: both named.
    const both = await updateAutopaySettingsAction({ ...formDefaults, retryDays: "7, 3", chargeHour: "noon" });
    expect(both.ok ? {} : Object.keys(both.error.fields ?? {}).sort()).toEqual(["chargeHour", "retryDays"]);
    expect(await database.db.autopaySettings.count({ where: { organizationId: org.organizationId } })).toBe(0);
    expect(await database.db.auditEvent.count({ where: { organizationId: org.organizationId, action: "autopay_settings.updated" } })).toBe(0);
  });

  it("changes only the signed-in clinic's settings", async () => {
    const other = await createTestOrganization(database.db);
    await clinicWith("admin");
    expect(await updateAutopaySettingsAction({ ...formDefaults, chargeHour: "6" })).toMatchObject({ ok: true });
    expect((await getAutopaySettings(database.db, other.organizationId)).chargeHour).toBe(DEFAULT_AUTOPAY_SETTINGS.chargeHour);
  });

  for (const role of ["billing", "viewer"] as const) {
    it(`a ${role === "billing" ? "billing staff member" : "viewer"} reads the settings page but cannot change the rules`, async () => {
      const org = await clinicWith(role);
      const result = await updateAutopaySettingsAction({ ...formDefaults, retryDays: "2" });
      expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(await database.db.autopaySettings.count({ where: { organizationId: org.organizationId } })).toBe(0);
      expect(await database.db.auditEvent.count({ where: { organizationId: org.organizationId, action: "autopay_settings.updated" } })).toBe(0);
      await expect(AutopaySettingsPage()).resolves.toBeTruthy();
      await expect(OrganizationSettingsPage()).rejects.toThrow("403 forbidden page");
    });
  }

  it("signed out: the action refuses and the page sends to sign-in", async () => {
    await expect(updateAutopaySettingsAction(formDefaults)).resolves.toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
    await expect(AutopaySettingsPage()).rejects.toThrow(/redirect to \/login/);
  });
});
