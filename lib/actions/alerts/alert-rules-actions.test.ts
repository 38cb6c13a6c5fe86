import { beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_ALERT_RULE_SETTINGS } from "@/lib/alerts/alert-rules";
import type { TUpdateAlertRulesInput } from "@/lib/alerts/update-alert-rules";
import { actionSessions } from "@/tests/action-sessions";
import { setupTestDatabase } from "@/tests/test-database";

/**
 * Alert settings through the real session check (lib/auth/session.ts → loadSession → the
 * membership's role in the database): only next-auth's cookie reading, Next's request scope and
 * its forbidden()/redirect() interrupts are stood in for. Only admins reach the settings and the
 * history, and only admins change the rules.
 */
const claims = vi.hoisted(() => ({ current: null as { userId: string; sessionId: string } | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => claims.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "alerts-test" }) }));
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

const { updateAlertRulesAction } = await import("./update-alert-rules");
const { default: AlertSettingsPage } = await import("@/app/(staff)/app/settings/alerts/page");
const { default: AlertHistoryPage } = await import("@/app/(staff)/app/settings/alerts/history/page");
const { default: SettingsLayout } = await import("@/app/(staff)/app/settings/layout");

const database = setupTestDatabase();

const { clinicWith } = actionSessions(database, claims);

function rules(): TUpdateAlertRulesInput {
  return Object.fromEntries(
    Object.entries(DEFAULT_ALERT_RULE_SETTINGS).map(([rule, settings]) => [rule, { enabled: true, ...settings }]),
  ) as TUpdateAlertRulesInput;
}

beforeEach(() => {
  claims.current = null;
});

describe("alert settings: admins only", () => {
  it("an admin changes a threshold (as the form sends it, in text): saved, audited, and evaluated at once", async () => {
    const org = await clinicWith("admin");
    const input = rules();
    const result = await updateAlertRulesAction({ ...input, payment_stuck: { enabled: true, hours: "6", emailIntervalHours: "12" } });
    expect(result).toEqual({ ok: true, data: { changed: ["payment_stuck"] } });
    const row = await database.db.alertRule.findUniqueOrThrow({
      where: { organizationId_rule: { organizationId: org.organizationId, rule: "payment_stuck" } },
    });
    expect(row.settings).toEqual({ hours: 6, emailIntervalHours: 12 });
    // Evaluated with the new rules at once: every rule has its row, made with the defaults.
    expect(await database.db.alertRule.count({ where: { organizationId: org.organizationId } })).toBe(5);
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId: org.organizationId, action: "alert_rules.updated" } });
    expect(audit).toMatchObject({ actorUserId: org.adminUserId, after: { payment_stuck: { settings: { hours: 6 } } } });
    await expect(AlertSettingsPage()).resolves.toBeTruthy();
    await expect(AlertHistoryPage({ searchParams: Promise.resolve({}) })).resolves.toBeTruthy();
  });

  it("answers bad thresholds with a message per field, and saves nothing", async () => {
    const org = await clinicWith("admin");
    const input = rules();
    const result = await updateAlertRulesAction({
      ...input,
      card_failure_rate: { ...input.card_failure_rate, thresholdPercent: "", lastAttempts: "lots" },
      email_failed: { ...input.email_failed, windowHours: "0" },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("VALIDATION_FAILED");
    expect(result.error.fields).toMatchObject({
      "card_failure_rate.thresholdPercent": ["Enter a percentage from 0.1 to 100."],
      "card_failure_rate.lastAttempts": ["Enter the number of attempts as a number."],
      "email_failed.windowHours": ["Enter the hours from 1 to 720."],
    });
    expect(await database.db.alertRule.count({ where: { organizationId: org.organizationId } })).toBe(0);
  });

  for (const role of ["billing", "viewer"] as const) {
    it(`a ${role === "billing" ? "billing staff member" : "viewer"} can neither change the rules nor open the settings or the history`, async () => {
      const org = await clinicWith(role);
      const input = rules();
      const result = await updateAlertRulesAction({ ...input, dispute_opened: { enabled: false, emailIntervalHours: 24 } });
      expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(await database.db.alertRule.count({ where: { organizationId: org.organizationId } })).toBe(0);
      expect(await database.db.auditEvent.count({ where: { organizationId: org.organizationId, action: "alert_rules.updated" } })).toBe(0);
      await expect(AlertSettingsPage()).rejects.toThrow("403 forbidden page");
      await expect(AlertHistoryPage({ searchParams: Promise.resolve({}) })).rejects.toThrow("403 forbidden page");
      // The settings area itself opens (its Autopay tab is read-only for them); the alert pages do not.
      await expect(SettingsLayout({ children: null })).resolves.toBeTruthy();
    });
  }

  it("signed out: the action refuses and the pages send to sign-in", async () => {
    await expect(updateAlertRulesAction(rules())).resolves.toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
    await expect(AlertSettingsPage()).rejects.toThrow(/redirect to \/login/);
  });
});
