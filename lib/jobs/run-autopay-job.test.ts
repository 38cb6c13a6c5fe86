import pino from "pino";
import type PgBoss from "pg-boss";
import { afterEach, describe, expect, it } from "vitest";
import { createPaymentPlan } from "@/lib/payment-plans/create-payment-plan";
import { createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createBoss, RUN_AUTOPAY_QUEUE } from "./boss";
import { startRunAutopayJob } from "./run-autopay-job";

const database = setupTestDatabase();
const log = pino({ level: "silent" });
const running: { boss: PgBoss; job: { stop(): Promise<void> } }[] = [];

afterEach(async () => {
  for (const { boss, job } of running.splice(0)) {
    await job.stop();
    await boss.stop({ graceful: false });
  }
});

describe("the autopay job", () => {
  it("is scheduled every 5 minutes, and a run works the engine with the server's clock", async () => {
    const boss = await createBoss({ connectionString: database.url });
    running.push({ boss, job: await startRunAutopayJob(boss, { db: database.db, log }) });
    expect(await boss.getSchedules()).toEqual(expect.arrayContaining([expect.objectContaining({ name: RUN_AUTOPAY_QUEUE, cron: "*/5 * * * *" })]));

    // A plan whose down payment is due now, on a patient with no card on file (a link was to be sent):
    // the run records the attempt as failed without calling Stripe, and tells the patient.
    const org = await createTestOrganization(database.db);
    const patient = await createTestPatient(database.db, { organizationId: org.organizationId, email: "job.plan@example.test" });
    await createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId: patient.id, total: 30_000, issuedOn: "2026-12-01" });
    const startDate = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await createPaymentPlan(database.db, {
      organizationId: org.organizationId,
      actor: testActor(),
      input: { patientId: patient.id, downPaymentAmount: 10_000, installmentCount: 2, frequency: "monthly", startDate, sendCardLink: true },
      now: new Date(),
    });
    // No card yet: the patient was emailed their card link to add one.
    const linkEmail = await database.db.email.findFirstOrThrow({ where: { organizationId: org.organizationId, kind: "autopay_card_link" } });
    expect(linkEmail.text).toMatch(/balance of \$300\.00\. .*add a card here: http\S+\/card\/\w+/);
    await boss.send(RUN_AUTOPAY_QUEUE, {});
    await expect
      .poll(() => database.db.autopayCharge.findFirst({ where: { organizationId: org.organizationId }, select: { status: true, declineCode: true } }), {
        timeout: 30_000,
        interval: 200,
      })
      .toEqual({ status: "failed", declineCode: "no_card_on_file" });
    expect(await database.db.email.count({ where: { organizationId: org.organizationId, kind: "autopay_failed" } })).toBe(1);
  });
});
