import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { FIGURE_DEFINITIONS } from "@/lib/analytics/figure-definitions";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { callRoute } from "@/tests/api-client";
import { createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { deniedTest835Claim, importTest835, submitTestClaim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";
import * as reports from "./[report]/route";

const database = setupTestDatabase();
const SERVICE_DATE = addDays(todayIn("America/New_York"), -2);

/** A clinic billing insurance, with an API key. */
async function insuranceClinic(name: string) {
  const c = await createTestBillingClinic(database.db);
  const key = await createApiKey(database.db, { organizationId: c.organizationId, actor: c.actor, input: { name: `${name} sync` } });
  return { c, apiKey: key.secret };
}

/** A remittance paying one claim 120.00 with 55.00 contractual (CO-45) and nothing for the patient, and denying another (CO-29). */
async function payOneDenyOne(c: TestBillingClinic, paidNumber: string, deniedNumber: string) {
  const line = (code: string, charge: number, paid: number, group: "CO", reason: string, amount: number, modifiers?: string[]) => ({
    code,
    modifiers,
    charge,
    paid,
    date: SERVICE_DATE,
    adjustments: [{ group, reason, amount }],
  });
  await importTest835(database.db, c, [
    {
      number: paidNumber,
      charge: 17_500,
      paid: 12_000,
      patient: 0,
      lines: [line("99213", 15_000, 11_000, "CO", "45", 4_000, ["25"]), line("36415", 2_500, 1_000, "CO", "45", 1_500)],
    },
    deniedTest835Claim(deniedNumber, SERVICE_DATE),
  ]);
}

const report = (apiKey: string, query = "", headers: Record<string, string> = {}) =>
  callRoute(reports.GET, { path: `/api/v1/reports/insurance${query}`, params: { report: "insurance" }, apiKey, headers });

describe("REST API /api/v1/reports/insurance", () => {
  it("answers the key's clinic's insurance figures, matching the OpenAPI schema, as JSON and as CSV", async () => {
    const { c, apiKey } = await insuranceClinic("Insured");
    const elsewhere = await insuranceClinic("Elsewhere");
    const paid = (await submitTestClaim(database.db, c, SERVICE_DATE)).claim;
    const denied = (await submitTestClaim(database.db, c, SERVICE_DATE)).claim;
    await payOneDenyOne(c, paid.displayNumber, denied.displayNumber);

    const response = await report(apiKey, "?preset=last_30_days");
    expect(response.status).toBe(200);
    const body = response.json! as Record<string, unknown> & {
      receivables: { total: unknown; byPayer: { payerName: string }[] };
      denials: { denialRate: unknown; denialRateByAmount: unknown };
      daysToPay: { overall: unknown };
    };
    expect(body.hasClaims).toBe(true);
    expect(body.receivables.total).toEqual({ count: 1, amount: 17_500 });
    expect(body.receivables.byPayer.map((payer) => payer.payerName)).toEqual([c.payer.name]);
    expect(body.denials.denialRate).toEqual({ current: 0.5, previous: null });
    expect(body.denials.denialRateByAmount).toEqual({ current: 0.5, previous: null });
    expect(body.daysToPay.overall).toEqual({ claims: 1, averageDays: 0, medianDays: 0 });
    expect(body.insurerPaid).toEqual({ current: 12_000, previous: 0 });
    expect(body.contractualAdjustments).toEqual({ current: 5_500, previous: 0 });
    expect(body.patientCollections).toEqual({ current: 0, previous: 0 });
    expect(body.insurerShare).toEqual({ current: 1, previous: null });
    // 120.00 collected of (350.00 charged − 55.00 contractual).
    expect((body.netCollectionRate as { current: number }).current).toBeCloseTo(12_000 / (35_000 - 5_500), 10);

    // The other clinic's key: no claims, nothing owed.
    const theirs = (await report(elsewhere.apiKey, "?preset=last_30_days")).json! as { hasClaims: boolean; receivables: { total: unknown } };
    expect(theirs.hasClaims).toBe(false);
    expect(theirs.receivables.total).toEqual({ count: 0, amount: 0 });

    const csv = await report(apiKey, "?format=csv");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="analytics-insurance-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = csv.text.trimEnd().split("\r\n");
    expect(rows[0]).toBe("claim,patient,payer,submitted_on,days,bucket,status,currency,charge,insurance_balance");
    expect(rows.slice(1)).toEqual([`${denied.displayNumber},JANE DOE,${c.payer.name},${todayIn("America/New_York")},0,0-30,denied,USD,175.00,175.00`]);
  });

  it("answers 422 naming the field for a bad query", async () => {
    const { apiKey } = await insuranceClinic("Checks");
    const fieldsOf = async (query: string) => {
      const response = await report(apiKey, query);
      expect(response.status, query).toBe(422);
      return response.json!.error!.fields!;
    };
    expect(await fieldsOf("?from=2026-03-01&to=2026-02-01")).toEqual({ to: ["Must be on or after from"] });
    expect(Object.keys(await fieldsOf("?preset=yesterday"))).toEqual(["preset"]);
    expect(Object.keys(await fieldsOf("?from=2026-02-30&to=2026-03-01"))).toEqual(["from"]);
    expect(Object.keys(await fieldsOf("?format=pdf"))).toEqual(["format"]);
  });

  it("is documented in the OpenAPI document with the figures' definitions", () => {
    const document = buildOpenApiDocument("http://localhost:3000") as unknown as {
      paths: Record<string, { get: { operationId: string; parameters: { name: string }[] } }>;
      components: { schemas: Record<string, { properties: Record<string, { description?: string }> }> };
    };
    expect(document.paths["/reports/insurance"]!.get.operationId).toBe("getInsuranceReport");
    expect(document.paths["/reports/insurance"]!.get.parameters.map((parameter) => parameter.name)).toEqual(["preset", "from", "to", "granularity", "format"]);
    const schema = document.components.schemas.InsuranceReport!.properties;
    expect(schema.netCollectionRate!.description).toContain(FIGURE_DEFINITIONS.insuranceNetCollectionRate.formula);
    expect(schema.denials!.description).toContain(FIGURE_DEFINITIONS.denialRate.definition);
  });
});
