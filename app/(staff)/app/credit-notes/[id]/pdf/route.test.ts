import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { issueCreditNote } from "@/lib/credit-notes/issue-credit-note";
import { extractPdfText } from "@/lib/pdf/extract-pdf-text";
import { createOpenInvoice } from "@/tests/card-payments";
import { createTestOrganization, testActor } from "@/tests/factories";
import { session } from "@/tests/staff-session";
import { setupTestDatabase } from "@/tests/test-database";

vi.mock("@/lib/auth/session", async () => (await import("@/tests/staff-session")).mockedAuthSession());
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { GET } = await import("./route");

const database = setupTestDatabase();

async function signIn(organizationId: string, userId: string, email: string) {
  session.current = {
    user: { id: userId, email, name: "Vic Viewer" },
    organization: { id: organizationId, slug: "clinic", name: "Clinic", currency: "USD", timezone: "America/New_York", country: "US" },
    role: "viewer",
    membershipId: userId,
    actor: testActor(userId, email),
  };
}

const get = (id: string) => GET(new NextRequest(`http://localhost/app/credit-notes/${id}/pdf`), { params: Promise.resolve({ id }) });

beforeEach(() => {
  session.current = null;
});

describe("GET /app/credit-notes/[id]/pdf", () => {
  it("serves the credit note inline to any staff role, audits the view, and hides other clinics' credit notes", async () => {
    const open = await createOpenInvoice(database.db, { unitAmount: 9_000 });
    const creditNote = await issueCreditNote(database.db, {
      organizationId: open.organizationId,
      invoiceId: open.invoiceId,
      actor: testActor(),
      input: { amount: 1_500, reason: "Courtesy" },
    });
    expect((await get(creditNote.id)).status).toBe(401);

    const owner = await database.db.membership.findFirstOrThrow({ where: { organizationId: open.organizationId }, include: { user: true } });
    await signIn(open.organizationId, owner.userId, owner.user.email);
    const response = await get(creditNote.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('inline; filename="CN-00001.pdf"');
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(extractPdfText(new Uint8Array(await response.arrayBuffer()))).toMatch(/Amount credited\s+\$15\.00/);
    expect(await database.db.auditEvent.count({ where: { action: "credit_note.pdf_viewed", targetId: creditNote.id } })).toBe(1);

    const other = await createTestOrganization(database.db);
    await signIn(other.organizationId, other.adminUserId, other.adminEmail);
    expect((await get(creditNote.id)).status).toBe(404);
    expect((await get("not-a-uuid")).status).toBe(404);
  });
});
