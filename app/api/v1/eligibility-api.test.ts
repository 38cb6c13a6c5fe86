import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { recordVisit } from "@/lib/claims/visits";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { readX12 } from "@/lib/x12/read-x12";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization } from "@/tests/factories";
import { createTestBillingSetup } from "@/tests/insurance-fixtures";
import { setupTestDatabase } from "@/tests/test-database";
import * as cms1500 from "./claims/[id]/cms1500/route";
import * as eligibility from "./coverages/[id]/eligibility/route";
import * as eligibilityRequest from "./eligibility-checks/[id]/request/route";

const database = setupTestDatabase();

async function setupApi() {
  const org = await createTestOrganization(database.db);
  const setup = await createTestBillingSetup(database.db, { organizationId: org.organizationId });
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "EHR sync" } });
  return { org, ...setup, apiKey: key.secret };
}

describe("REST API: eligibility and the CMS-1500", () => {
  it("POST /coverages/{id}/eligibility writes the 270, GET lists the checks, GET /eligibility-checks/{id}/request gives the file", async () => {
    const { apiKey, coverage } = await setupApi();
    const path = `/api/v1/coverages/${coverage.id}/eligibility`;
    const refused = await callRoute(eligibility.POST, {
      method: "POST",
      path,
      params: { id: coverage.id },
      apiKey,
      body: { serviceTypeCodes: ["30", "three"] },
    });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.json!.error!.fields!)).toEqual(["serviceTypeCodes.1"]);

    const created = await callRoute(eligibility.POST, { method: "POST", path, params: { id: coverage.id }, apiKey });
    expect(created.status).toBe(201);
    const check = created.json!.check as { id: string; status: string; traceNumber: string; serviceTypeCodes: string[]; sentAt: string | null };
    // A manual connection: the 270 in the answer is the one the client sends, so the check is sent.
    expect(check).toMatchObject({ status: "requested", traceNumber: "EC000000001", serviceTypeCodes: ["30"], sentAt: expect.any(String) });
    const request = created.json!.request as { fileName: string; content: string };
    expect(request.fileName).toBe("270-EC000000001.x12");
    expect(readX12(request.content).segments.map((segment) => segment.id)).toContain("EQ");

    const withBody = await callRoute(eligibility.POST, { method: "POST", path, params: { id: coverage.id }, apiKey, body: { serviceTypeCodes: ["30", "98"] } });
    expect(withBody.status).toBe(201);
    expect(withBody.json!.request).toMatchObject({ content: expect.stringContaining("EQ*98~") });

    const listed = await callRoute(eligibility.GET, { path, params: { id: coverage.id }, apiKey });
    expect(listed.status).toBe(200);
    expect((listed.json!.data as { id: string }[]).map((each) => each.id)).toEqual([(withBody.json!.check as { id: string }).id, check.id]);

    const file = await callRoute(eligibilityRequest.GET, { path: `/api/v1/eligibility-checks/${check.id}/request`, params: { id: check.id }, apiKey });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(file.headers.get("content-disposition")).toBe('attachment; filename="270-EC000000001.x12"');
    expect(file.text).toBe(request.content);
  });

  it("other clinics' coverages, checks and claims are 404, like malformed ids", async () => {
    const mine = await setupApi();
    const theirs = await setupApi();
    const created = await callRoute(eligibility.POST, {
      method: "POST",
      path: `/api/v1/coverages/${theirs.coverage.id}/eligibility`,
      params: { id: theirs.coverage.id },
      apiKey: theirs.apiKey,
    });
    const checkId = (created.json!.check as { id: string }).id;
    const visit = await recordVisit(database.db, {
      organizationId: theirs.org.organizationId,
      actor: theirs.org.adminActor,
      patientId: theirs.patient.id,
      input: {
        serviceDate: addDays(todayIn("America/New_York"), -2),
        diagnoses: ["J06.9"],
        charges: [{ procedureCode: "99213", units: 1, chargeAmount: 15_000, diagnosisPointers: [1] }],
      },
    });
    const claim = await createClaimFromVisit(database.db, { organizationId: theirs.org.organizationId, actor: theirs.org.adminActor, visitId: visit.id });

    const theirPdf = await callRoute(cms1500.GET, { path: `/api/v1/claims/${claim.id}/cms1500`, params: { id: claim.id }, apiKey: theirs.apiKey });
    expect(theirPdf.status).toBe(200);
    expect(theirPdf.headers.get("content-type")).toBe("application/pdf");
    expect(theirPdf.text.startsWith("%PDF-")).toBe(true);
    expect(theirPdf.headers.get("content-disposition")).toBe(`inline; filename="${claim.displayNumber}-cms1500.pdf"`);

    for (const [handler, path, id] of [
      [eligibility.GET, `/api/v1/coverages/${theirs.coverage.id}/eligibility`, theirs.coverage.id],
      [eligibility.POST, `/api/v1/coverages/${theirs.coverage.id}/eligibility`, theirs.coverage.id],
      [eligibility.GET, "/api/v1/coverages/not-a-uuid/eligibility", "not-a-uuid"],
      [eligibilityRequest.GET, `/api/v1/eligibility-checks/${checkId}/request`, checkId],
      [cms1500.GET, `/api/v1/claims/${claim.id}/cms1500`, claim.id],
      [cms1500.GET, "/api/v1/claims/nope/cms1500", "nope"],
    ] as const) {
      const response = await callRoute(handler, { method: handler === eligibility.POST ? "POST" : "GET", path, params: { id }, apiKey: mine.apiKey });
      expect(response.status, path).toBe(404);
    }
  });
});
