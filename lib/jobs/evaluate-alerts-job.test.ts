import pino from "pino";
import type PgBoss from "pg-boss";
import { afterEach, describe, expect, it } from "vitest";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createBoss, EVALUATE_ALERTS_QUEUE } from "./boss";
import { startEvaluateAlertsJob } from "./evaluate-alerts-job";

const database = setupTestDatabase();
const log = pino({ level: "silent" });
const running: { boss: PgBoss; job: { stop(): Promise<void> } }[] = [];

afterEach(async () => {
  for (const { boss, job } of running.splice(0)) {
    await job.stop();
    await boss.stop({ graceful: false });
  }
});

describe("the alerts job", () => {
  it("is scheduled every minute, and a run evaluates every clinic's rules (two instances working the queue fire once)", async () => {
    for (let instance = 0; instance < 2; instance += 1) {
      const boss = await createBoss({ connectionString: database.url });
      running.push({ boss, job: await startEvaluateAlertsJob(boss, { db: database.db, log }) });
    }
    const [{ boss }] = running as [(typeof running)[number]];
    expect(await boss.getSchedules()).toEqual(expect.arrayContaining([expect.objectContaining({ name: EVALUATE_ALERTS_QUEUE, cron: "* * * * *" })]));

    // Two clinics, each with a failed email: a run (what the cron sends each minute) fires one alert in each.
    const clinics = [await createTestOrganization(database.db), await createTestOrganization(database.db)];
    for (const { organizationId } of clinics) {
      await database.db.email.create({
        data: { organizationId, kind: "receipt", toAddress: "x@example.test", subject: "s", text: "t", html: "h", status: "failed" },
      });
    }
    await boss.send(EVALUATE_ALERTS_QUEUE, {});
    await boss.send(EVALUATE_ALERTS_QUEUE, {});
    await expect
      .poll(() => database.db.alert.count({ where: { organizationId: { in: clinics.map((clinic) => clinic.organizationId) }, activeRule: "email_failed" } }), {
        timeout: 30_000,
        interval: 200,
      })
      .toBe(2);
    await expect.poll(() => database.db.email.count({ where: { kind: "alert" } }), { timeout: 30_000, interval: 200 }).toBe(2);
  });
});
