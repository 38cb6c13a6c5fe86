import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { REPORT_NAMES } from "@/lib/analytics/analytics.types";
import { FIGURE_DEFINITIONS } from "@/lib/analytics/figure-definitions";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { todayIn } from "@/lib/invoices/dates";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as patients from "../patients/route";
import * as reports from "./[report]/route";

const database = setupTestDatabase();
const actor = testActor();

/** A clinic with an API key, billing and collecting through the same domain code the app uses. */
async function clinic(name: string) {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: `${name} sync` } });
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: name, lastName: "Patient" });
  const organizationId = org.organizationId;
  return {
    organizationId,
    apiKey: key.secret,
    async bill(total: number, serviceCode: string) {
      const draft = await createInvoice(database.db, {
        organizationId,
        actor,
        input: { patientId: patient.id, lines: [{ description: `Service ${serviceCode}`, serviceCode, quantity: 1, unitAmount: total }] },
      });
      return finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    },
    async collect(invoiceId: string, amount: number) {
      await recordManualPayment(database.db, {
        organizationId,
        actor,
        input: { patientId: patient.id, method: "cash", amount, invoiceId, receivedOn: todayIn("America/New_York") },
      });
    },
  };
}

const report = (apiKey: string, name: string, query = "", headers: Record<string, string> = {}) =>
  callRoute(reports.GET, { path: `/api/v1/reports/${name}${query}`, params: { report: name }, apiKey, headers });

/** The route as Next.js calls it, without the OpenAPI check (for paths the document does not list). */
const raw = (apiKey: string, name: string, query = "") =>
  reports.GET(new NextRequest(`http://localhost:3000/api/v1/reports/${name}${query}`, { headers: { authorization: `Bearer ${apiKey}` } }), {
    params: Promise.resolve({ report: name }),
  });

describe("REST API /api/v1/reports/{report}", () => {
  it("answers every report for a clinic with data, each matching its OpenAPI schema, and never counts another clinic's figures", async () => {
    const north = await clinic("North");
    const south = await clinic("South");
    // The two clinics' money interleaves in time: north, south, north, south …
    const n1 = await north.bill(10_000, "99213");
    const s1 = await south.bill(77_700, "99999");
    const n2 = await north.bill(5_000, "36415");
    await south.collect(s1.id, 70_000);
    await north.collect(n1.id, 6_000);
    const s2 = await south.bill(33_300, "99999");
    await north.collect(n2.id, 5_000);
    await south.collect(s2.id, 33_300);

    for (const name of REPORT_NAMES) {
      const response = await report(north.apiKey, name, "?preset=last_30_days&granularity=week");
      expect(response.status, name).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    }
    const summary = (await report(north.apiKey, "summary", "?preset=last_30_days")).json!;
    expect(summary.charges).toEqual({ current: 15_000, previous: 0 });
    expect(summary.collections).toEqual({ current: 11_000, previous: 0 });
    expect(summary.receivables).toMatchObject({ amount: 4_000, openInvoices: 1 });
    const aging = (await report(north.apiKey, "aging")).json!;
    expect(aging.total).toEqual({ count: 1, amount: 4_000 });
    const collections = (await report(north.apiKey, "collections", "?preset=last_30_days")).json! as { byChannel: { channel: string; amount: number }[] };
    expect(collections.byChannel.find((channel) => channel.channel === "cash")).toMatchObject({ count: 2, amount: 11_000 });
    const services = (await report(north.apiKey, "services", "?preset=last_30_days")).json! as { byNetCharges: { serviceCode: string | null }[] };
    expect(services.byNetCharges.map((service) => service.serviceCode).sort()).toEqual(["36415", "99213"]);

    // The south clinic's key sees the south clinic's figures only.
    const southSummary = (await report(south.apiKey, "summary", "?preset=last_30_days")).json!;
    expect(southSummary.charges).toEqual({ current: 111_000, previous: 0 });
    expect(southSummary.collections).toEqual({ current: 103_300, previous: 0 });
    expect(JSON.stringify(await report(north.apiKey, "services", "?preset=last_30_days"))).not.toContain("99999");

    // The CSV's rows add up to the figures: money movements to collections, open invoices to the receivable.
    const movements = (await report(north.apiKey, "collections", "?preset=last_30_days&format=csv")).text.trimEnd().split("\r\n").slice(1);
    const cents = (row: string) => Math.round(Number(row.split(",").at(-1)) * 100);
    expect(movements.filter((row) => row.includes(",payment received,")).reduce((sum, row) => sum + cents(row), 0)).toBe(11_000);
    const open = (await report(north.apiKey, "aging", "?format=csv")).text.trimEnd().split("\r\n").slice(1);
    expect(open.reduce((sum, row) => sum + cents(row), 0)).toBe(4_000);
  });

  it("documents each report's figures with their definitions (figure-definitions.ts) in the OpenAPI document", async () => {
    const document = buildOpenApiDocument("http://localhost:3000") as unknown as {
      paths: Record<string, { get: { parameters: { name: string }[] } }>;
      components: { schemas: Record<string, { properties: Record<string, { description?: string }> }> };
    };
    for (const name of REPORT_NAMES)
      expect(document.paths[`/reports/${name}`]!.get.parameters.map((parameter) => parameter.name)).toEqual(["preset", "from", "to", "granularity", "format"]);
    const summary = document.components.schemas.SummaryReport!.properties;
    expect(summary.charges!.description).toContain(FIGURE_DEFINITIONS.charges.definition);
    expect(summary.charges!.description).toContain(FIGURE_DEFINITIONS.charges.formula);
    expect(summary.netCollectionRate!.description).toContain(FIGURE_DEFINITIONS.netCollectionRate.formula);
    expect(document.components.schemas.PaymentsReport!.properties.threeDSecureShare!.description).toContain(FIGURE_DEFINITIONS.threeDSecureShare.definition);
  });

  it("answers 422 naming the field for a bad query or an unknown report, and 401 without a key", async () => {
    const { apiKey } = await clinic("Checks");
    const fieldsOf = async (query: string, name = "summary") => {
      if (name === "summary") {
        const response = await report(apiKey, name, query);
        expect(response.status, query).toBe(422);
        return response.json!.error!.fields!;
      }
      const response = await raw(apiKey, name, query);
      expect(response.status, query).toBe(422);
      return ((await response.json()) as { error: { fields: Record<string, string[]> } }).error.fields;
    };
    expect(await fieldsOf("?from=2026-03-01&to=2026-02-01")).toEqual({ to: ["Must be on or after from"] });
    expect(await fieldsOf("?from=2020-01-01&to=2025-12-31")).toEqual({ to: ["A period can cover at most five years"] });
    expect(Object.keys(await fieldsOf("?granularity=hour"))).toEqual(["granularity"]);
    expect(Object.keys(await fieldsOf("?from=2026-02-30&to=2026-03-01"))).toEqual(["from"]);
    expect(Object.keys(await fieldsOf("?from=03/01/2026&to=2026-03-31"))).toEqual(["from"]);
    expect(Object.keys(await fieldsOf("?from=2026-03-01"))).toEqual(["to"]);
    expect(Object.keys(await fieldsOf("?preset=yesterday"))).toEqual(["preset"]);
    expect(Object.keys(await fieldsOf("?format=xml"))).toEqual(["format"]);
    const unknown = await fieldsOf("?granularity=hour", "revenue");
    expect(unknown.report![0]).toContain('Unknown report "revenue": choose one of summary, aging, collections, payments, refunds, disputes, services');
    expect(Object.keys(unknown).sort()).toEqual(["granularity", "report"]);

    const anonymous = await reports.GET(new NextRequest("http://localhost:3000/api/v1/reports/summary"), { params: Promise.resolve({ report: "summary" }) });
    expect(anonymous.status).toBe(401);
    const wrongKey = await report("cb_not_a_real_key", "summary");
    expect(wrongKey.status).toBe(401);
  });

  it("carries the same headers as the other /api/v1 GETs (request id, security headers, no caching of JSON beyond theirs)", async () => {
    const { apiKey } = await clinic("Headers");
    const ours = await report(apiKey, "aging", "", { "x-request-id": "req-reports-1" });
    const theirs = await callRoute(patients.GET, { path: "/api/v1/patients", apiKey, headers: { "x-request-id": "req-patients-1" } });
    expect(ours.headers.get("x-request-id")).toBe("req-reports-1");
    const names = (headers: Headers) => [...headers.keys()].filter((name) => name !== "x-request-id" && name !== "content-length").sort();
    expect(names(ours.headers)).toEqual(names(theirs.headers));
    for (const name of names(theirs.headers)) if (name !== "content-type") expect(ours.headers.get(name), name).toBe(theirs.headers.get(name));
  });

  it("gives the rows behind a report as CSV with ?format=csv or Accept: text/csv, audit-logged under the key", async () => {
    const north = await clinic("North");
    const invoice = await north.bill(12_345, "99213");
    await north.collect(invoice.id, 2_345);
    const byParameter = await report(north.apiKey, "aging", "?format=csv");
    expect(byParameter.status).toBe(200);
    expect(byParameter.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(byParameter.headers.get("content-disposition")).toMatch(/^attachment; filename="analytics-aging-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = byParameter.text.trimEnd().split("\r\n");
    expect(rows[0]).toBe("invoice,patient,issue_date,due_date,days,bucket,status,currency,total,amount_due");
    expect(rows[1]).toMatch(new RegExp(`^${invoice.number},North Patient,\\d{4}-\\d{2}-\\d{2},[^,]*,0,0-30,partially_paid,USD,123\\.45,100\\.00$`));
    const byAccept = await report(north.apiKey, "collections", "?preset=last_30_days", { accept: "text/csv" });
    expect(byAccept.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(byAccept.text.split("\r\n")[1]).toMatch(/,payment received,cash,cash,INV-\d+,North Patient,RCT-\d+,,USD,23\.45$/);
    expect(
      await database.db.auditEvent.count({ where: { organizationId: north.organizationId, action: "analytics.exported", actorLabel: "api-key:North sync" } }),
    ).toBe(2);
  });

  it("answers the recurring report (plans and autopay) for the key's clinic, as JSON matching its schema and as CSV, and 422 naming a bad field", async () => {
    const north = await clinic("Recurring");
    const south = await clinic("Elsewhere");
    const patient = await database.db.patient.findFirstOrThrow({ where: { organizationId: north.organizationId } });
    const invoice = await north.bill(40_000, "99213");
    const plan = await database.db.paymentPlan.create({
      data: {
        organizationId: north.organizationId,
        patientId: patient.id,
        currency: "USD",
        totalAmount: 40_000,
        installmentCount: 4,
        frequency: "monthly",
        startDate: new Date("2026-11-01T00:00:00Z"),
      },
    });
    await database.db.paymentPlanInvoice.create({
      data: { planId: plan.id, invoiceId: invoice.id, organizationId: north.organizationId, amountAtStart: 40_000 },
    });
    const installment = await database.db.paymentPlanInstallment.create({
      data: { organizationId: north.organizationId, planId: plan.id, sequence: 1, dueDate: new Date("2026-11-01T00:00:00Z"), scheduledAmount: 10_000 },
    });
    // Declined on November 1, paid by the retry on November 2 (New York days).
    for (const [attempt, status, completedAt] of [
      [1, "failed", "2026-11-01T13:00:00Z"],
      [2, "succeeded", "2026-11-02T13:00:00Z"],
    ] as const)
      await database.db.autopayCharge.create({
        data: {
          organizationId: north.organizationId,
          patientId: patient.id,
          subjectType: "plan_installment",
          subjectId: installment.id,
          attempt,
          scheduledFor: new Date(completedAt),
          status,
          amount: 10_000,
          currency: "USD",
          idempotencyKey: `carebill:plan-installment:${installment.id}:autopay-attempt-${attempt}`,
          declineCode: status === "failed" ? "insufficient_funds" : null,
          completedAt: new Date(completedAt),
        },
      });

    const response = await report(north.apiKey, "recurring", "?from=2026-11-01&to=2026-11-30&granularity=week");
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      plans: { active: 1, pastDue: 0, paused: 0, outstanding: 40_000 },
      autopay: { attempts: { current: 2, previous: 0 }, firstAttemptsFailed: { current: 1, previous: 0 }, recovered: { current: 1, previous: 0 } },
      autopaySuccessRate: { current: 0.5, previous: null },
      autopayFirstAttemptSuccessRate: { current: 0, previous: null },
      autopayEventualSuccessRate: { current: 1, previous: null },
      autopayRecoveryRate: { current: 1, previous: null },
      planDefaultRate: { current: null, previous: null },
    });
    expect((await report(south.apiKey, "recurring", "?from=2026-11-01&to=2026-11-30")).json).toMatchObject({
      plans: { active: 0, outstanding: 0 },
      autopay: { attempts: { current: 0, previous: 0 } },
    });

    const csv = await report(north.apiKey, "recurring", "?from=2026-11-01&to=2026-11-30&format=csv");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="analytics-recurring-2026-11-01-to-2026-11-30.csv"');
    expect(csv.text.trimEnd().split("\r\n")).toEqual([
      "record,at,patient,plan,membership,subject,attempt,result,decline_code,decline_reason,recovered,currency,amount",
      `autopay attempt,2026-11-01 08:00,Recurring Patient,${plan.id},,installment 1,1,failed,insufficient_funds,insufficient funds,yes,USD,100.00`,
      `autopay attempt,2026-11-02 08:00,Recurring Patient,${plan.id},,installment 1,2,succeeded,,,,USD,100.00`,
    ]);

    const bad = await report(north.apiKey, "recurring", "?from=2026-11-31&to=2026-11-30&granularity=year");
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json!.error!.fields!).sort()).toEqual(["from", "granularity"]);
  });

  it("documents the recurring figures with their definitions in the OpenAPI document", async () => {
    const document = buildOpenApiDocument("http://localhost:3000") as unknown as {
      components: { schemas: Record<string, { properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> }> };
    };
    const recurring = document.components.schemas.RecurringReport!.properties;
    for (const figure of [
      "planDefaultRate",
      "autopaySuccessRate",
      "autopayFirstAttemptSuccessRate",
      "autopayEventualSuccessRate",
      "autopayRecoveryRate",
    ] as const)
      expect(recurring[figure]!.description, figure).toContain(FIGURE_DEFINITIONS[figure].formula);
    expect(recurring.plans!.properties!.active!.description).toContain(FIGURE_DEFINITIONS.activePlans.definition);
    expect(recurring.plans!.properties!.outstanding!.description).toContain(FIGURE_DEFINITIONS.planOutstanding.formula);
    expect(recurring.memberships!.properties!.mrr!.description).toContain(FIGURE_DEFINITIONS.mrr.formula);
    expect(recurring.memberships!.properties!.activeMembers!.description).toContain(FIGURE_DEFINITIONS.activeMembers.definition);
  });
});
