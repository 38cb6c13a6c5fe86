import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { sendInvoice } from "@/lib/invoices/send-invoice";
import { extractPdfText } from "@/lib/pdf/extract-pdf-text";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { deliverQueuedEmails, hasDueEmails, MAX_DELIVERY_ATTEMPTS, RETRY_DELAYS_SECONDS } from "./deliver-queued-emails";
import { createSmtpTransport, mailboxTransport, type MailTransport } from "./mail-transport";
import { parseMimeMessage, startSmtpTestServer, type SmtpTestServer } from "@/platform/test-smtp/smtp-test-server";

const database = setupTestDatabase();
const actor = testActor();
const silent = pino({ level: "silent" });
let smtp: SmtpTestServer;
let transport: MailTransport;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  transport = createSmtpTransport(smtp.url);
});
afterAll(() => smtp.stop());
beforeEach(async () => {
  smtp.messages.length = 0;
  // Each test starts with an empty outbox, whatever the one before left queued.
  await database.db.email.updateMany({ where: { status: "queued" }, data: { status: "failed" } });
});

/** A finalized invoice (subtotal $211.98, 10% off, 8.25% tax: $205.78 due) sent to the patient: one queued email. */
async function sendTestInvoice() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Jordan", email: "jordan@patients.test" });
  const draft = await createInvoice(database.db, {
    organizationId: org.organizationId,
    actor,
    input: {
      patientId: patient.id,
      taxRate: 8.25,
      discount: { percent: 10 },
      lines: [
        { description: "Office visit, established patient", serviceCode: "99213", quantity: 1, unitAmount: 15000 },
        { description: "Flu vaccine", serviceCode: "90686", quantity: 2, unitAmount: 2599 },
        { description: "Medical records copy", quantity: 1, unitAmount: 1000, taxExempt: true },
      ],
    },
  });
  const invoice = await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  await sendInvoice(database.db, { organizationId: org.organizationId, invoiceId: invoice.id, actor });
  const email = await database.db.email.findFirstOrThrow({ where: { invoiceId: invoice.id }, orderBy: { createdAt: "desc" } });
  const organization = await database.db.organization.findUniqueOrThrow({ where: { id: org.organizationId } });
  return { organizationId: org.organizationId, organizationName: organization.name, invoice, email };
}

const secondsAfter = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);

describe("delivering the outbox over SMTP", () => {
  it("delivers the invoice email with its PDF, once, and logs no addresses or bodies", async () => {
    const { organizationName, invoice, email } = await sendTestInvoice();
    const lines: string[] = [];
    const log = pino({ level: "info" }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));

    expect(await deliverQueuedEmails(database.db, { transport, log })).toEqual({ sent: 1, retrying: 0, failed: 0 });

    expect(smtp.messages).toHaveLength(1);
    const [message] = smtp.messages;
    expect(message!.from).toBe("billing@carebill.local");
    expect(message!.to).toEqual(["jordan@patients.test"]);
    const { headers, parts } = parseMimeMessage(message!.raw);
    expect(headers.get("to")).toBe("jordan@patients.test");
    expect(headers.get("from")).toBe(`"${organizationName} via Carebill" <billing@carebill.local>`);
    expect(headers.get("subject")).toBe(`Invoice INV-00001 from ${organizationName}`);
    expect(headers.get("message-id")).toBe(`<${email.id}@carebill.local>`);
    const text = parts.find((part) => part.contentType === "text/plain")!.content.toString("utf8");
    expect(text).toContain("Amount due: $205.78");
    expect(parts.find((part) => part.contentType === "text/html")!.content.toString("utf8")).toContain("<strong>$205.78</strong>");

    const pdf = parts.find((part) => part.contentType === "application/pdf")!;
    expect(pdf.filename).toBe("INV-00001.pdf");
    const pdfText = extractPdfText(pdf.content);
    expect(pdfText).toContain(invoice.number!);
    expect(pdfText).toMatch(/Balance due\s+\$205\.78/);
    const payUrl = (email.attachments as { payUrl?: string }[])[0]!.payUrl!;
    expect(pdfText.replace(/\s+/g, "")).toContain(payUrl);

    expect(await database.db.email.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({
      status: "sent",
      transport: "smtp",
      attempts: 1,
      lastError: null,
      messageId: `<${email.id}@carebill.local>`,
    });

    // Nothing is due any more: a second run (or a second worker) sends nothing.
    expect(await hasDueEmails(database.db)).toBe(false);
    expect(await deliverQueuedEmails(database.db, { transport, log })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);

    const logged = lines.join("");
    expect(logged).toContain(email.id);
    for (const secret of ["jordan@patients.test", "Jordan", "Invoice INV-00001", "205.78"]) expect(logged).not.toContain(secret);
  });

  it("keeps an email queued after a temporary refusal and delivers it on the next run after the delay", async () => {
    const { email } = await sendTestInvoice();
    const start = new Date();
    smtp.refuseNext(1, 451, "4.3.0 Mailbox busy, try again later");

    expect(await deliverQueuedEmails(database.db, { transport, log: silent, now: start })).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const afterFirst = await database.db.email.findUniqueOrThrow({ where: { id: email.id } });
    expect(afterFirst).toMatchObject({ status: "queued", attempts: 1, sentAt: null });
    expect(afterFirst.lastError).toMatch(/451/);

    // Not before the first retry delay (one minute)...
    expect(await deliverQueuedEmails(database.db, { transport, log: silent, now: secondsAfter(start, 30) })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    // ...then it goes out.
    expect(await deliverQueuedEmails(database.db, { transport, log: silent, now: secondsAfter(start, 61) })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(await database.db.email.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({ status: "sent", attempts: 2, lastError: null });
  });

  it("backs off 1 min, 5 min, 30 min, 2 h, then fails the email with the last error", async () => {
    const { email } = await sendTestInvoice();
    smtp.refuseNext(MAX_DELIVERY_ATTEMPTS, 421, "4.7.0 Too many connections");
    let now = new Date();
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt += 1) {
      const report = await deliverQueuedEmails(database.db, { transport, log: silent, now });
      expect(report).toEqual(attempt < MAX_DELIVERY_ATTEMPTS ? { sent: 0, retrying: 1, failed: 0 } : { sent: 0, retrying: 0, failed: 1 });
      const delay = RETRY_DELAYS_SECONDS[attempt - 1];
      if (delay !== undefined) {
        expect(await hasDueEmails(database.db, { now: secondsAfter(now, delay - 1) })).toBe(false);
        now = secondsAfter(now, delay);
      }
    }
    const failed = await database.db.email.findUniqueOrThrow({ where: { id: email.id } });
    expect(failed).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS });
    expect(failed.lastError).toMatch(/421/);
    expect(await deliverQueuedEmails(database.db, { transport, log: silent, now: secondsAfter(now, 86_400) })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(0);
  });

  it("fails an email at once on a permanent refusal (5xx)", async () => {
    const { email } = await sendTestInvoice();
    smtp.refuseNext(1, 550, "5.1.1 No such mailbox");
    expect(await deliverQueuedEmails(database.db, { transport, log: silent })).toEqual({ sent: 0, retrying: 0, failed: 1 });
    const failed = await database.db.email.findUniqueOrThrow({ where: { id: email.id } });
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed.lastError).toMatch(/550/);
  });

  it("never delivers an email written by a transaction that rolled back", async () => {
    const { organizationId } = await sendTestInvoice();
    await deliverQueuedEmails(database.db, { transport, log: silent });
    smtp.messages.length = 0;
    const before = await database.db.email.count();

    let delivery: Promise<unknown> | undefined;
    await expect(
      database.db.$transaction(async (tx) => {
        await tx.email.create({
          data: { organizationId, kind: "invoice", toAddress: "ghost@patients.test", subject: "Never sent", text: "x", html: "<p>x</p>" },
        });
        // A worker runs while the row exists but is not committed.
        delivery = deliverQueuedEmails(database.db, { transport, log: silent });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await delivery).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await deliverQueuedEmails(database.db, { transport, log: silent })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(0);
    expect(await database.db.email.count()).toBe(before);
  });

  it("lets concurrent runs share the outbox without sending any email twice", async () => {
    const sent = await Promise.all([sendTestInvoice(), sendTestInvoice(), sendTestInvoice()]);
    const reports = await Promise.all([1, 2, 3].map(() => deliverQueuedEmails(database.db, { transport, log: silent, batchSize: 1 })));
    expect(reports.reduce((total, report) => total + report.sent, 0)).toBe(3);
    expect(smtp.messages).toHaveLength(3);
    const ids = smtp.messages.map((message) => parseMimeMessage(message.raw).headers.get("message-id"));
    expect(new Set(ids)).toEqual(new Set(sent.map(({ email }) => `<${email.id}@carebill.local>`)));
  });

  it("fails an email whose last attempt was cut short by a crash, instead of leaving it queued forever", async () => {
    const { email } = await sendTestInvoice();
    const now = new Date();
    await database.db.email.update({ where: { id: email.id }, data: { attempts: MAX_DELIVERY_ATTEMPTS, updatedAt: secondsAfter(now, -3_600) } });
    expect(await deliverQueuedEmails(database.db, { transport, log: silent, now })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    const failed = await database.db.email.findUniqueOrThrow({ where: { id: email.id } });
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toMatch(/interrupted/);
  });
});

describe("demo mode (no SMTP_URL)", () => {
  it("keeps the email for the mailbox: sent, with transport mailbox, nothing leaves the server", async () => {
    const { email } = await sendTestInvoice();
    expect(await deliverQueuedEmails(database.db, { transport: mailboxTransport, log: silent })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await database.db.email.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({ status: "sent", transport: "mailbox", attempts: 1 });
    expect(smtp.messages).toHaveLength(0);
  });

  it("uses MAIL_FROM: a bare address keeps the clinic's name, a named one is used as given", async () => {
    const { organizationName } = await sendTestInvoice();
    await deliverQueuedEmails(database.db, { transport, log: silent, mailFrom: "billing@clinic.test" });
    expect(parseMimeMessage(smtp.messages[0]!.raw).headers.get("from")).toBe(`"${organizationName} via Carebill" <billing@clinic.test>`);
    expect(smtp.messages[0]!.from).toBe("billing@clinic.test");

    await sendTestInvoice();
    await deliverQueuedEmails(database.db, { transport, log: silent, mailFrom: "Sunrise Billing <accounts@sunrise.test>" });
    const headers = parseMimeMessage(smtp.messages[1]!.raw).headers;
    expect(headers.get("from")).toBe("Sunrise Billing <accounts@sunrise.test>");
    expect(headers.get("message-id")).toMatch(/@sunrise\.test>$/);
  });
});
