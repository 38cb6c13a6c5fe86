import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization } from "@/tests/factories";
import { createTestBillingSetup, createTestRenderingProvider } from "@/tests/insurance-fixtures";
import { VALID_NPIS } from "@/tests/insurance-factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as visits from "./visits/route";
import * as visitRoute from "./visits/[id]/route";
import * as claims from "./claims/route";
import * as claimRoute from "./claims/[id]/route";
import * as validate from "./claims/[id]/validate/route";
import * as close from "./claims/[id]/close/route";
import * as correct from "./claims/[id]/correct/route";
import * as batches from "./claim-batches/route";
import * as batchRoute from "./claim-batches/[id]/route";
import * as batchFile from "./claim-batches/[id]/file/route";
import * as openapi from "./openapi.json/route";

const database = setupTestDatabase();

async function setup() {
  const org = await createTestOrganization(database.db);
  const billing = await createTestBillingSetup(database.db, { organizationId: org.organizationId });
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "EHR sync" } });
  return { ...org, ...billing, apiKey: key.secret };
}

const serviceDate = () => addDays(todayIn("America/New_York"), -2);
const visitBody = (patientId: string, overrides: Record<string, unknown> = {}) => ({
  patientId,
  serviceDate: serviceDate(),
  diagnoses: ["J06.9"],
  charges: [{ procedureCode: "99213", units: 1, chargeAmount: 12_500, diagnosisPointers: [1] }],
  ...overrides,
});

describe("/api/v1 visits, claims and claim batches", () => {
  it("records a visit, creates, validates and submits its claim, and serves the 837 file; bad input is a 422 naming each field", async () => {
    const { apiKey, patient, coverage } = await setup();
    const bad = await callRoute(visits.POST, {
      method: "POST",
      path: "/api/v1/visits",
      apiKey,
      body: visitBody(patient.id, {
        serviceDate: addDays(todayIn("America/New_York"), 3),
        diagnoses: ["401.9"],
        charges: [{ procedureCode: "99213", units: 1, chargeAmount: 12_500, diagnosisPointers: [2] }],
      }),
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json!.error!.fields!)).toContain("diagnoses.0");
    const future = await callRoute(visits.POST, {
      method: "POST",
      path: "/api/v1/visits",
      apiKey,
      body: visitBody(patient.id, {
        serviceDate: addDays(todayIn("America/New_York"), 3),
        charges: [{ procedureCode: "99213", units: 1, chargeAmount: 12_500, diagnosisPointers: [2] }],
      }),
    });
    expect(future.status).toBe(422);
    expect(Object.keys(future.json!.error!.fields!).sort()).toEqual(["charges.0.diagnosisPointers.0", "charges.0.serviceDate", "serviceDate"]);

    const visit = await callRoute(visits.POST, { method: "POST", path: "/api/v1/visits", apiKey, body: visitBody(patient.id) });
    expect(visit.status).toBe(201);
    const visitId = visit.json!.id as string;
    expect((await callRoute(visitRoute.GET, { path: `/api/v1/visits/${visitId}`, params: { id: visitId }, apiKey })).json).toMatchObject({
      id: visitId,
      totalCharge: 12_500,
    });

    const noVisit = await callRoute(claims.POST, { method: "POST", path: "/api/v1/claims", apiKey, body: { visitId: "nope" } });
    expect(noVisit.status).toBe(422);
    expect(noVisit.json!.error!.fields).toEqual({ visitId: ["Choose a visit."] });
    const created = await callRoute(claims.POST, { method: "POST", path: "/api/v1/claims", apiKey, body: { visitId } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: "draft", coverageId: coverage.id, displayNumber: "CLM-000001" });
    const claimId = created.json!.id as string;
    expect((await callRoute(claims.POST, { method: "POST", path: "/api/v1/claims", apiKey, body: { visitId } })).status).toBe(409);

    const badPatch = await callRoute(claimRoute.PATCH, {
      method: "PATCH",
      path: `/api/v1/claims/${claimId}`,
      params: { id: claimId },
      apiKey,
      body: { lines: [{ procedureCode: "ABC", units: 0, chargeAmount: 100, serviceDate: serviceDate(), diagnosisPointers: [1] }] },
    });
    expect(badPatch.status).toBe(422);
    expect(Object.keys(badPatch.json!.error!.fields!).sort()).toEqual(["lines.0.procedureCode", "lines.0.units"]);

    const validated = await callRoute(validate.POST, { method: "POST", path: `/api/v1/claims/${claimId}/validate`, params: { id: claimId }, apiKey });
    expect(validated.status).toBe(200);
    expect(validated.json).toMatchObject({ problems: [], claim: { status: "ready" } });

    const emptyBatch = await callRoute(batches.POST, { method: "POST", path: "/api/v1/claim-batches", apiKey, body: { claimIds: [], channel: "fax" } });
    expect(emptyBatch.status).toBe(422);
    expect(Object.keys(emptyBatch.json!.error!.fields!).sort()).toEqual(["channel", "claimIds"]);
    const batch = await callRoute(batches.POST, { method: "POST", path: "/api/v1/claim-batches", apiKey, body: { claimIds: [claimId], channel: "download" } });
    expect(batch.status).toBe(201);
    const batchId = batch.json!.id as string;
    expect(batch.json).toMatchObject({ claimCount: 1, totalCharge: 12_500, interchangeControlNumber: 1 });
    const file = await callRoute(batchFile.GET, { path: `/api/v1/claim-batches/${batchId}/file`, params: { id: batchId }, apiKey });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(file.headers.get("content-disposition")).toBe('attachment; filename="837P-000000001.x12"');
    expect(file.text).toMatch(/^ISA\*/);
    expect(file.text).toContain("CLM*CLM-000001*125***11:B:1*Y*A*Y*Y~");
    expect((await callRoute(batches.GET, { path: "/api/v1/claim-batches", apiKey })).json).toMatchObject({ data: [{ id: batchId }] });
    expect((await callRoute(batchRoute.GET, { path: `/api/v1/claim-batches/${batchId}`, params: { id: batchId }, apiKey })).status).toBe(200);

    const got = await callRoute(claimRoute.GET, { path: `/api/v1/claims/${claimId}`, params: { id: claimId }, apiKey });
    expect(got.json).toMatchObject({ status: "submitted", events: [{ kind: "created" }, { kind: "validated" }, { kind: "submitted" }] });
    const listed = await callRoute(claims.GET, { path: "/api/v1/claims?status=submitted&ageMin=1&amountMin=100", apiKey });
    expect(listed.json).toMatchObject({ data: [{ id: claimId }], nextCursor: null });
    const badQuery = await callRoute(claims.GET, { path: "/api/v1/claims?status=lost&ageMin=-1", apiKey });
    expect(badQuery.status).toBe(422);
    expect(Object.keys(badQuery.json!.error!.fields!).sort()).toEqual(["ageMin", "status"]);
    // A submitted claim waits for its acknowledgment; correcting needs the payer to have accepted it.
    expect(
      (await callRoute(close.POST, { method: "POST", path: `/api/v1/claims/${claimId}/close`, params: { id: claimId }, apiKey, body: { reason: "" } })).status,
    ).toBe(422);
    expect(
      (await callRoute(close.POST, { method: "POST", path: `/api/v1/claims/${claimId}/close`, params: { id: claimId }, apiKey, body: { reason: "Duplicate" } }))
        .status,
    ).toBe(409);
    expect((await callRoute(correct.POST, { method: "POST", path: `/api/v1/claims/${claimId}/correct`, params: { id: claimId }, apiKey })).status).toBe(409);
  }, 120_000);

  it("another clinic's visits, claims and batches are 404; so is a malformed id", async () => {
    const first = await setup();
    const visit = await callRoute(visits.POST, { method: "POST", path: "/api/v1/visits", apiKey: first.apiKey, body: visitBody(first.patient.id) });
    const visitId = visit.json!.id as string;
    const claim = await callRoute(claims.POST, { method: "POST", path: "/api/v1/claims", apiKey: first.apiKey, body: { visitId } });
    const claimId = claim.json!.id as string;
    await callRoute(validate.POST, { method: "POST", path: `/api/v1/claims/${claimId}/validate`, params: { id: claimId }, apiKey: first.apiKey });
    const batch = await callRoute(batches.POST, {
      method: "POST",
      path: "/api/v1/claim-batches",
      apiKey: first.apiKey,
      body: { claimIds: [claimId], channel: "download" },
    });
    const batchId = batch.json!.id as string;

    const { apiKey } = await setup();
    const responses = [
      await callRoute(visitRoute.GET, { path: `/api/v1/visits/${visitId}`, params: { id: visitId }, apiKey }),
      await callRoute(visits.POST, { method: "POST", path: "/api/v1/visits", apiKey, body: visitBody(first.patient.id) }),
      await callRoute(claims.POST, { method: "POST", path: "/api/v1/claims", apiKey, body: { visitId } }),
      await callRoute(claimRoute.GET, { path: `/api/v1/claims/${claimId}`, params: { id: claimId }, apiKey }),
      await callRoute(validate.POST, { method: "POST", path: `/api/v1/claims/${claimId}/validate`, params: { id: claimId }, apiKey }),
      await callRoute(batches.POST, { method: "POST", path: "/api/v1/claim-batches", apiKey, body: { claimIds: [claimId], channel: "download" } }),
      await callRoute(batchRoute.GET, { path: `/api/v1/claim-batches/${batchId}`, params: { id: batchId }, apiKey }),
      await callRoute(batchFile.GET, { path: `/api/v1/claim-batches/${batchId}/file`, params: { id: batchId }, apiKey }),
      await callRoute(claimRoute.GET, { path: "/api/v1/claims/not-a-uuid", params: { id: "not-a-uuid" }, apiKey }),
    ];
    expect(responses.map((response) => response.status)).toEqual(Array(responses.length).fill(404));
  }, 120_000);

  it("documents the claims paths in the OpenAPI document", async () => {
    const document = (await callRoute(openapi.GET, { path: "/api/v1/openapi.json" })).json! as { paths: Record<string, Record<string, unknown>> };
    for (const path of [
      "/visits",
      "/visits/{id}",
      "/claims",
      "/claims/{id}",
      "/claims/{id}/validate",
      "/claims/{id}/correct",
      "/claims/{id}/void",
      "/claims/{id}/close",
      "/claim-batches",
      "/claim-batches/{id}",
      "/claim-batches/{id}/file",
    ]) {
      expect(document.paths[path], path).toBeDefined();
    }
  }, 120_000);

  it("a visit whose lines name different rendering providers: the claim names the visit's, the other line its own; a PATCH checks each line's provider", async () => {
    const { apiKey, patient, provider, organizationId } = await setup();
    const chen = await createTestRenderingProvider(database.db, { organizationId, npi: "1003000126", lastName: "CHEN" });
    const line = { procedureCode: "99213", units: 1, chargeAmount: 12_500, diagnosisPointers: [1] };
    const visit = await callRoute(visits.POST, {
      method: "POST",
      path: "/api/v1/visits",
      apiKey,
      body: visitBody(patient.id, { renderingProviderId: provider.id, charges: [line, { ...line, procedureCode: "97110", renderingProviderId: chen.id }] }),
    });
    expect(visit.status).toBe(201);
    const created = await callRoute(claims.POST, { method: "POST", path: "/api/v1/claims", apiKey, body: { visitId: visit.json!.id } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      renderingProvider: { id: provider.id },
      lines: [
        { procedureCode: "99213", renderingProviderId: null, renderingProvider: null },
        { procedureCode: "97110", renderingProviderId: chen.id, renderingProvider: { id: chen.id, lastName: "CHEN", npi: "1003000126" } },
      ],
    });
    const claimId = created.json!.id as string;

    const other = await setup();
    const archived = await createTestRenderingProvider(database.db, { organizationId, npi: VALID_NPIS.third, lastName: "GONE" });
    await database.db.renderingProvider.update({ where: { id: archived.id }, data: { archivedAt: new Date() } });
    const patch = (renderingProviderId: string) =>
      callRoute(claimRoute.PATCH, {
        method: "PATCH",
        path: `/api/v1/claims/${claimId}`,
        params: { id: claimId },
        apiKey,
        body: {
          lines: [
            { ...line, serviceDate: serviceDate() },
            { ...line, serviceDate: serviceDate(), renderingProviderId },
          ],
        },
      });
    for (const [id, message] of [
      [other.provider.id, "Choose one of the clinic's rendering providers."],
      ["00000000-0000-4000-8000-000000000000", "Choose one of the clinic's rendering providers."],
      [archived.id, "This rendering provider is archived and takes no new claims."],
    ] as const) {
      const refused = await patch(id);
      expect(refused.status).toBe(422);
      expect(refused.json!.error!.fields).toEqual({ "lines.1.renderingProviderId": [message] });
    }
    const third = await createTestRenderingProvider(database.db, { organizationId, npi: VALID_NPIS.provider, lastName: "PARK" });
    const edited = await patch(third.id);
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ lines: [{ renderingProviderId: null }, { renderingProviderId: third.id, renderingProvider: { lastName: "PARK" } }] });
  }, 120_000);

  it("an amount filter beyond what a claim can hold is a 422, not a 500", async () => {
    const { apiKey } = await setup();
    const response = await callRoute(claims.GET, { path: "/api/v1/claims?amountMin=3000000000&amountMax=99999999999999", apiKey });
    expect(response.status).toBe(422);
    expect(Object.keys(response.json?.error?.fields ?? {}).sort()).toEqual(["amountMax", "amountMin"]);
  });

  it("charges that add up to more than a claim total can hold are a 422 on the visit, not a 500 when its claim is created", async () => {
    const { apiKey, patient } = await setup();
    const charges = Array.from({ length: 50 }, () => ({ procedureCode: "99213", units: 1, chargeAmount: 99_999_999, diagnosisPointers: [1] }));
    const response = await callRoute(visits.POST, { method: "POST", path: "/api/v1/visits", apiKey, body: visitBody(patient.id, { charges }) });
    expect(response.status).toBe(422);
    expect(response.json?.error?.fields?.charges).toEqual([expect.stringMatching(/add up to/)]);
    expect(await database.db.visit.count({ where: { patientId: patient.id } })).toBe(0);
  });
});
