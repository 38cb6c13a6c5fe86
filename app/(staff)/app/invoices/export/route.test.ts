import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { createPatient } from "@/lib/patients/create-patient";
import { createTestOrganization, testActor, testAuthContext } from "@/tests/factories";
import { session } from "@/tests/staff-session";
import { setupTestDatabase } from "@/tests/test-database";

vi.mock("@/lib/auth/session", async () => (await import("@/tests/staff-session")).mockedAuthSession());
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { GET } = await import("./route");
const payments = await import("../../payments/export/route");
const patients = await import("../../patients/export/route");

const database = setupTestDatabase();
const actor = testActor();

async function signedInClinic() {
  const org = await createTestOrganization(database.db);
  await database.db.organization.update({ where: { id: org.organizationId }, data: { timezone: "America/New_York" } });
  session.current = testAuthContext(org, { name: "Vic Viewer" });
  const organizationId = org.organizationId;
  const bill = async (patientId: string, total: number, description = "Visit") => {
    const draft = await createInvoice(database.db, { organizationId, actor, input: { patientId, lines: [{ description, quantity: 1, unitAmount: total }] } });
    return finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
  };
  const maria = await createPatient(database.db, { organizationId, actor, input: { firstName: "Maria", lastName: "Garcia, Jr.", phone: "(555) 010-2233" } });
  const evil = await createPatient(database.db, { organizationId, actor, input: { firstName: "=cmd|'/c calc'!A1", lastName: "Formula" } });
  return { organizationId, maria, evil, bill };
}

const csvOf = async (response: Response) => {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="(invoices|payments|patients)-\d{4}-\d{2}-\d{2}\.csv"$/);
  return (await response.text()).trimEnd().split("\r\n");
};
const get = (handler: typeof GET, path: string) => handler(new NextRequest(`http://localhost${path}`), { params: Promise.resolve({}) });

beforeEach(() => {
  session.current = null;
});

describe("CSV exports of the lists", () => {
  it("exports the invoices the list shows: its search, filters and sort, quoted and formula-safe", async () => {
    const { organizationId, maria, evil, bill } = await signedInClinic();
    const first = await bill(maria.id, 12_550);
    const second = await bill(maria.id, 4_000);
    await bill(evil.id, 9_900);
    const other = await signedInClinic();
    await other.bill(other.maria.id, 7_700);
    session.current!.organization.id = organizationId;

    const rows = await csvOf(await get(GET, "/app/invoices/export?q=(555)%20010-2233&sort=total&dir=asc"));
    expect(rows[0]).toBe("number,status,patient,created,due_date,currency,total,paid,credited,written_off,balance_due");
    expect(rows.slice(1).map((row) => row.split(",")[0])).toEqual([second.number, first.number]);
    expect(rows[2]).toMatch(
      new RegExp(
        `^${first.number},open,"Maria Garcia, Jr\\.",\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2},\\d{4}-\\d{2}-\\d{2},USD,125\\.50,0\\.00,0\\.00,0\\.00,125\\.50$`,
      ),
    );

    const all = await csvOf(await get(GET, "/app/invoices/export"));
    expect(all).toHaveLength(4); // header + this clinic's three: never the other clinic's
    expect(all.find((row) => row.includes("Formula"))).toContain("'=cmd|'/c calc'!A1 Formula");

    // Exports hold patients' details: each one is on the audit log, with who asked and for what.
    const exported = await database.db.auditEvent.findMany({ where: { organizationId, action: "invoices.exported" }, orderBy: { createdAt: "asc" } });
    expect(exported.map((event) => [event.actorUserId, event.after])).toEqual([
      [session.current!.user.id, { filters: { q: "(555) 010-2233", sort: "total", dir: "asc" } }],
      [session.current!.user.id, { filters: {} }],
    ]);

    const patientRows = await csvOf(await get(patients.GET, "/app/patients/export?sort=name&dir=asc"));
    expect(patientRows[0]).toBe("last_name,first_name,mrn,email,phone,date_of_birth,archived,added");
    expect(patientRows.slice(1).map((row) => row.split(",")[0])).toEqual(["Formula", '"Garcia']);
    expect(patientRows[1]).toContain(",'=cmd|'/c calc'!A1,");
  });

  it("exports payments with amounts as decimal strings, honouring the patient filter", async () => {
    const { maria, evil, bill } = await signedInClinic();
    const invoice = await bill(maria.id, 20_000);
    const { recordManualPayment } = await import("@/lib/payments/record-manual-payment");
    await recordManualPayment(database.db, {
      organizationId: session.current!.organization.id,
      actor: session.current!.actor,
      input: { patientId: maria.id, method: "check", reference: "-1234", amount: 15_000, invoiceId: invoice.id },
    });
    const rows = await csvOf(await get(payments.GET, `/app/payments/export?patient=${maria.id}`));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(
      new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2},"Maria Garcia, Jr\\.",${invoice.number},check,,'-1234,succeeded,USD,150\\.00,150\\.00,0\\.00$`),
    );
    expect(await csvOf(await get(payments.GET, `/app/payments/export?patient=${evil.id}`))).toHaveLength(1);
  });

  it("answers 401 when signed out", async () => {
    const exportsBefore = await database.db.auditEvent.count({ where: { action: { endsWith: ".exported" } } });
    for (const handler of [GET, payments.GET, patients.GET]) {
      const response = await get(handler, "/app/invoices/export");
      expect(response.status).toBe(401);
    }
    expect(await database.db.auditEvent.count({ where: { action: { endsWith: ".exported" } } })).toBe(exportsBefore);
  });
});
