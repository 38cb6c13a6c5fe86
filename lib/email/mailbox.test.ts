import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createTestOrganization, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { getEmailDetail } from "./get-email-detail";
import { listEmails } from "./list-emails";

const database = setupTestDatabase();
const actor = testActor();

async function clinicWithEmails(count: number) {
  const { organizationId } = await createTestOrganization(database.db);
  const start = Date.parse("2026-03-01T12:00:00Z");
  for (let index = 0; index < count; index += 1) {
    await database.db.email.create({
      data: {
        organizationId,
        kind: "invoice",
        toAddress: `patient${index}@patients.test`,
        subject: `Email ${index}`,
        text: `Text ${index}`,
        html: `<p>Html ${index}</p>`,
        attachments: [{ type: "invoice_pdf", invoiceId: crypto.randomUUID(), filename: `INV-0000${index}.pdf` }],
        createdAt: new Date(start + index * 60_000),
      },
    });
  }
  return organizationId;
}

describe("the mailbox", () => {
  it("lists an organization's emails newest first, page by page, without bodies", async () => {
    const organizationId = await clinicWithEmails(5);
    await clinicWithEmails(2);
    const first = await listEmails(database.db, { organizationId, input: { limit: 2 } });
    expect(first.data.map((email) => email.subject)).toEqual(["Email 4", "Email 3"]);
    expect(first.data[0]).toMatchObject({ kind: "invoice", toAddress: "patient4@patients.test", status: "queued", attempts: 0, sentAt: null });
    expect(first.data[0]).not.toHaveProperty("html");
    const second = await listEmails(database.db, { organizationId, input: { limit: 2, cursor: first.nextCursor! } });
    const third = await listEmails(database.db, { organizationId, input: { limit: 2, cursor: second.nextCursor! } });
    expect([...second.data, ...third.data].map((email) => email.subject)).toEqual(["Email 2", "Email 1", "Email 0"]);
    expect(third.nextCursor).toBeNull();
  });

  it("shows one email with its bodies and attachments, audits the view, and hides other organizations' emails", async () => {
    const organizationId = await clinicWithEmails(1);
    const otherOrganizationId = await clinicWithEmails(1);
    const [email] = (await listEmails(database.db, { organizationId })).data;

    const detail = await getEmailDetail(database.db, { organizationId, emailId: email!.id, actor });
    expect(detail).toMatchObject({
      subject: "Email 0",
      text: "Text 0",
      html: "<p>Html 0</p>",
      lastError: null,
      attachments: [{ type: "invoice_pdf", filename: "INV-00000.pdf" }],
    });
    expect(await database.db.auditEvent.count({ where: { organizationId, action: "email.viewed", targetId: email!.id } })).toBe(1);

    const error = await getEmailDetail(database.db, { organizationId: otherOrganizationId, emailId: email!.id, actor }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("NOT_FOUND");
  });
});
