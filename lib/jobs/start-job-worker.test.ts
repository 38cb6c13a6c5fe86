import { afterAll, describe, expect, it } from "vitest";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { sendInvoice } from "@/lib/invoices/send-invoice";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { startJobWorker, stopJobWorker } from "./start-job-worker";

const database = setupTestDatabase();
const actor = testActor();

afterAll(async () => {
  await stopJobWorker();
  const { getDb } = await import("@/lib/db/client");
  await (await getDb()).$disconnect();
});

describe("the server's background jobs", () => {
  it("start from the environment and, with no SMTP_URL, keep sent invoices in the mailbox", async () => {
    expect(process.env.SMTP_URL).toBeUndefined();
    await startJobWorker();
    const org = await createTestOrganization(database.db);
    const patient = await createTestPatient(database.db, { organizationId: org.organizationId, email: "pat@patients.test" });
    const draft = await createInvoice(database.db, {
      organizationId: org.organizationId,
      actor,
      input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: 9000 }] },
    });
    await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
    await sendInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
    await requestEmailDelivery();

    const deadline = Date.now() + 15_000;
    let email = await database.db.email.findFirstOrThrow({ where: { invoiceId: draft.id } });
    while (email.status === "queued" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      email = await database.db.email.findFirstOrThrow({ where: { invoiceId: draft.id } });
    }
    expect(email).toMatchObject({ status: "sent", transport: "mailbox", attempts: 1 });
  });
});
