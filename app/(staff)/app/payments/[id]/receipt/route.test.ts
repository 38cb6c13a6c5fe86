import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { extractPdfText } from "@/lib/pdf/extract-pdf-text";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { createTestOpenInvoice, createTestOrganization, createTestPatient, testActor, testAuthContext } from "@/tests/factories";
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

async function signedInClinicWithPayment() {
  const org = await createTestOrganization(database.db);
  session.current = testAuthContext(org);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Robin", lastName: "Okafor" });
  const invoice = await createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId: patient.id, total: 12_500 });
  const payment = await recordManualPayment(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { patientId: patient.id, method: "cash", amount: 5_000, invoiceId: invoice.id },
  });
  return { organizationId: org.organizationId, payment };
}

const get = (id: string) => GET(new NextRequest(`http://localhost/app/payments/${id}/receipt`), { params: Promise.resolve({ id }) });

beforeEach(() => {
  session.current = null;
});

describe("GET /app/payments/[id]/receipt", () => {
  it("serves the receipt inline to any staff role and audits the view", async () => {
    const { organizationId, payment } = await signedInClinicWithPayment();
    const response = await get(payment.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(payment.receiptNumber).toBe("RCT-00001");
    expect(response.headers.get("content-disposition")).toBe(`inline; filename="receipt-${payment.receiptNumber}.pdf"`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const text = extractPdfText(new Uint8Array(await response.arrayBuffer()));
    expect(text).toContain("Robin Okafor");
    expect(text).toMatch(/Amount paid\s+\$50\.00/);
    expect(text).toMatch(/INV-00001\s+\$50\.00\s+\$75\.00/);
    expect(await database.db.auditEvent.count({ where: { organizationId, action: "payment.receipt_viewed", targetId: payment.id } })).toBe(1);
  });

  it("answers 404 for another organization's payment and malformed ids, 401 when signed out", async () => {
    const other = await signedInClinicWithPayment();
    await signedInClinicWithPayment();
    expect((await get(other.payment.id)).status).toBe(404);
    expect((await get("not-a-uuid")).status).toBe(404);
    session.current = null;
    expect((await get(other.payment.id)).status).toBe(401);
  });
});
