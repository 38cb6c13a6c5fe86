import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { REPORT_NAMES } from "@/lib/analytics/analytics.types";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { todayIn } from "@/lib/invoices/dates";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
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

const HEADERS = {
  summary:
    "bucket_start,bucket_end,currency,charges,discounts,credit_notes,write_offs,net_charges,collections,refunds,net_collections,credit_applied,processing_fees,dispute_losses,dispute_fees,gross_collection_rate,net_collection_rate",
  aging: "invoice,patient,issue_date,due_date,days,bucket,status,currency,total,amount_due",
  collections: "date,movement,channel,method,invoice,patient,receipt,reference,currency,amount",
  payments: "created,invoice,source,status,succeeded,first_attempt_success,decline_code,decline_reason,three_d_secure,card_brand,card_last4,currency,amount",
  refunds: "requested,invoice,patient,payment_method,reason,mode,status,settled,failure_reason,currency,amount,from_credit",
  disputes: "opened,invoice,patient,reason,status,evidence_due_by,evidence_submitted,closed,resolution,currency,amount,fee",
  services: "service_code,description,lines,currency,net_charges,collections",
  recurring: "record,at,patient,plan,membership,subject,attempt,result,decline_code,decline_reason,recovered,currency,amount",
  insurance: "claim,patient,payer,submitted_on,days,bucket,status,currency,charge,insurance_balance",
};

const get = (path: string, report: string) => GET(new NextRequest(`http://localhost${path}`), { params: Promise.resolve({ report }) });

async function clinicWithMoney(lastName = "Garcia") {
  const org = await createTestOrganization(database.db);
  await database.db.organization.update({ where: { id: org.organizationId }, data: { timezone: "America/New_York" } });
  const organizationId = org.organizationId;
  const patient = await createTestPatient(database.db, { organizationId, firstName: "Maria", lastName });
  const draft = await createInvoice(database.db, {
    organizationId,
    actor,
    input: { patientId: patient.id, lines: [{ description: "New patient visit", serviceCode: "99203", quantity: 1, unitAmount: 18_000 }] },
  });
  const invoice = await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
  await recordManualPayment(database.db, {
    organizationId,
    actor,
    input: { patientId: patient.id, method: "check", reference: "1042", amount: 5_000, invoiceId: invoice.id, receivedOn: todayIn("America/New_York") },
  });
  return { org, invoice };
}

beforeEach(() => {
  session.current = null;
});

describe("analytics CSV exports (/app/analytics/export/{report})", () => {
  it("downloads each section's rows for the signed-in clinic, audit-logged with the query", async () => {
    const { org, invoice } = await clinicWithMoney();
    await clinicWithMoney("Otherclinic");
    session.current = testAuthContext(org);

    for (const report of REPORT_NAMES) {
      const response = await get(`/app/analytics/export/${report}?preset=last_30_days&granularity=month`, report);
      expect(response.status, report).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const rows = (await response.text()).trimEnd().split("\r\n");
      expect(rows[0], report).toBe(HEADERS[report]);
      expect(rows.join("\n"), report).not.toContain("Otherclinic");
    }
    const aging = (await (await get("/app/analytics/export/aging", "aging")).text()).trimEnd().split("\r\n");
    expect(aging.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${invoice.number},Maria Garcia,\\d{4}-\\d{2}-\\d{2},[^,]*,0,0-30,partially_paid,USD,180\\.00,130\\.00$`)),
    ]);
    const collections = (await (await get("/app/analytics/export/collections?preset=this_month", "collections")).text()).trimEnd().split("\r\n");
    expect(collections.slice(1)).toEqual([
      expect.stringMatching(
        new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2},payment received,check,check,${invoice.number},Maria Garcia,RCT-00001,1042,USD,50\\.00$`),
      ),
    ]);
    const services = (await (await get("/app/analytics/export/services?preset=this_month", "services")).text()).trimEnd().split("\r\n");
    expect(services.slice(1)).toEqual(["99203,New patient visit,1,USD,180.00,50.00"]);

    const exported = await database.db.auditEvent.findMany({ where: { organizationId: org.organizationId, action: "analytics.exported" } });
    expect(exported).toHaveLength(REPORT_NAMES.length + 3);
    expect(exported.map((event) => [event.actorUserId, event.after])).toContainEqual([
      session.current!.user.id,
      expect.objectContaining({ report: "summary", query: { preset: "last_30_days", granularity: "month" } }),
    ]);
  });

  it("refuses a bad query or report with 422 naming the field, and a signed-out visitor with 401", async () => {
    const { org } = await clinicWithMoney();
    expect((await get("/app/analytics/export/summary", "summary")).status).toBe(401);
    session.current = testAuthContext(org);
    const bad = await get("/app/analytics/export/summary?from=2026-05-01&to=2026-04-01", "summary");
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { fields: unknown } }).error.fields).toEqual({ to: ["Must be on or after from"] });
    const unknown = await get("/app/analytics/export/ledger", "ledger");
    expect(unknown.status).toBe(422);
    expect(Object.keys(((await unknown.json()) as { error: { fields: object } }).error.fields)).toEqual(["report"]);
    expect(await database.db.auditEvent.count({ where: { organizationId: org.organizationId, action: "analytics.exported" } })).toBe(0);
  });
});
