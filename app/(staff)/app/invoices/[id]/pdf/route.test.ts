import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { extractPdfText } from "@/lib/pdf/extract-pdf-text";
import { createTestOrganization, createTestPatient, testActor, testAuthContext } from "@/tests/factories";
import { session } from "@/tests/staff-session";
import { setupTestDatabase } from "@/tests/test-database";

vi.mock("@/lib/auth/session", async () => (await import("@/tests/staff-session")).mockedAuthSession());
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { GET } = await import("./route");

const database = setupTestDatabase();
const actor = testActor();

async function signedInClinic() {
  const org = await createTestOrganization(database.db);
  session.current = testAuthContext(org);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  const draft = await createInvoice(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { patientId: patient.id, lines: [{ description: "Office visit", quantity: 1, unitAmount: 12500 }] },
  });
  return { organizationId: org.organizationId, draft };
}

const get = (id: string) => GET(new NextRequest(`http://localhost/app/invoices/${id}/pdf`), { params: Promise.resolve({ id }) });

beforeEach(() => {
  session.current = null;
});

describe("GET /app/invoices/[id]/pdf", () => {
  it("serves the PDF inline, named after the invoice number, and audits the view", async () => {
    const { organizationId, draft } = await signedInClinic();
    await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });

    const response = await get(draft.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe('inline; filename="INV-00001.pdf"');
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const text = extractPdfText(new Uint8Array(await response.arrayBuffer()));
    expect(text).toContain("INV-00001");
    expect(text).toMatch(/Balance due\s+\$125\.00/);
    expect(await database.db.auditEvent.count({ where: { organizationId, action: "invoice.pdf_viewed", targetId: draft.id } })).toBe(1);
  });

  it("serves drafts with a DRAFT watermark", async () => {
    const { draft } = await signedInClinic();
    const response = await get(draft.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`inline; filename="draft-${draft.id.slice(0, 8)}.pdf"`);
    expect(extractPdfText(new Uint8Array(await response.arrayBuffer()), "raw")).toMatch(/^DRAFT$/m);
  });

  it("answers 404 for another organization's invoice and for malformed ids, 401 when signed out", async () => {
    const other = await signedInClinic();
    await signedInClinic();
    const foreign = await get(other.draft.id);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: { code: "NOT_FOUND", message: "That invoice does not exist." } });
    expect((await get("not-a-uuid")).status).toBe(404);

    session.current = null;
    expect((await get(other.draft.id)).status).toBe(401);
  });
});
