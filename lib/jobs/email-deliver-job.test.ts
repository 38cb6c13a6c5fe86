import pino from "pino";
import type PgBoss from "pg-boss";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSmtpTransport } from "@/lib/email/mail-transport";
import { startSmtpTestServer, type SmtpTestServer } from "@/platform/test-smtp/smtp-test-server";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { sendInvoice } from "@/lib/invoices/send-invoice";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createBoss, EMAIL_DELIVER_QUEUE, JOBS_SCHEMA } from "./boss";
import { enqueueEmailDelivery, startEmailDeliveryWorker, type EmailDeliveryWorker } from "./email-deliver-job";

const database = setupTestDatabase();
const actor = testActor();
const log = pino({ level: "silent" });
let smtp: SmtpTestServer;
const running: { boss: PgBoss; worker?: EmailDeliveryWorker }[] = [];

beforeAll(async () => {
  smtp = await startSmtpTestServer();
});
afterEach(async () => {
  for (const { boss, worker } of running.splice(0)) {
    await worker?.stop();
    await boss.stop({ graceful: false });
  }
  smtp.messages.length = 0;
});
afterAll(() => smtp.stop());

async function startBoss(options: { pollIntervalMs?: number; worker?: boolean } = {}) {
  const boss = await createBoss({ connectionString: database.url });
  const entry: { boss: PgBoss; worker?: EmailDeliveryWorker } = { boss };
  running.push(entry);
  if (options.worker !== false) {
    entry.worker = await startEmailDeliveryWorker(boss, {
      db: database.db,
      transport: createSmtpTransport(smtp.url),
      log,
      // Long unless a test is about the poll, so the queue alone must carry the request.
      pollIntervalMs: options.pollIntervalMs ?? 3_600_000,
    });
  }
  return boss;
}

/** Sends a finalized invoice to its patient: one email in the outbox, nothing delivered yet. */
async function queueInvoiceEmail() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, email: "pat@patients.test" });
  const draft = await createInvoice(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { patientId: patient.id, lines: [{ description: "Office visit", quantity: 1, unitAmount: 12500 }] },
  });
  await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  await sendInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  return database.db.email.findFirstOrThrow({ where: { invoiceId: draft.id } });
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the email.deliver job (pg-boss)", () => {
  it("delivers outbox mail when a run is requested after the commit", async () => {
    const boss = await startBoss();
    const email = await queueInvoiceEmail();
    await enqueueEmailDelivery(boss);
    await waitFor(() => smtp.messages.length === 1);
    expect(smtp.messages[0]!.to).toEqual(["pat@patients.test"]);
    await waitFor(async () => (await database.db.email.findUniqueOrThrow({ where: { id: email.id } })).status === "sent");
  });

  it("sends mail that was never handed off, from the outbox poll", async () => {
    await startBoss({ pollIntervalMs: 200 });
    const email = await queueInvoiceEmail();
    await waitFor(() => smtp.messages.length === 1);
    await waitFor(async () => (await database.db.email.findUniqueOrThrow({ where: { id: email.id } })).status === "sent");
  });

  it("keeps a requested run in PostgreSQL across a restart, and collapses repeated requests", async () => {
    const email = await queueInvoiceEmail();
    const before = await startBoss({ worker: false });
    await enqueueEmailDelivery(before);
    await enqueueEmailDelivery(before);
    await before.stop({ graceful: false });
    running.splice(0);
    const [waiting] = await database.db.$queryRawUnsafe<{ count: bigint }[]>(
      `SELECT count(*) AS count FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND state = 'created'`,
      EMAIL_DELIVER_QUEUE,
    );
    expect(Number(waiting!.count)).toBe(1);
    expect(smtp.messages).toHaveLength(0);

    await startBoss();
    await waitFor(() => smtp.messages.length === 1);
    await waitFor(async () => (await database.db.email.findUniqueOrThrow({ where: { id: email.id } })).status === "sent");
  });
});
