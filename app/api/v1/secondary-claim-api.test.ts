import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { callRoute } from "@/tests/api-client";
import { createTestPayer, createTestSelfCoverage, createTestBillingClinic } from "@/tests/insurance-fixtures";
import { importTest835, submitTestClaim, usualTest835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";
import * as claimRoute from "./claims/[id]/route";
import * as secondaryClaim from "./claims/[id]/secondary-claim/route";
import * as openapi from "./openapi.json/route";

const database = setupTestDatabase();
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);

/** A clinic whose primary claim's remittance is posted while the patient had no secondary coverage, with an API key. */
async function setup() {
  const c = await createTestBillingClinic(database.db);
  const { claim } = await submitTestClaim(database.db, c, SERVICE_DATE);
  await importTest835(database.db, c, [usualTest835Claim(claim.displayNumber, SERVICE_DATE)]);
  const key = await createApiKey(database.db, { organizationId: c.organizationId, actor: c.actor, input: { name: "Billing sync" } });
  const post = (claimId: string, headers: Record<string, string> = {}) =>
    callRoute(secondaryClaim.POST, { method: "POST", path: `/api/v1/claims/${claimId}/secondary-claim`, params: { id: claimId }, apiKey: key.secret, headers });
  return { c, claim, apiKey: key.secret, post };
}

describe("POST /api/v1/claims/{id}/secondary-claim", () => {
  it("422 without a secondary coverage; 201 with the draft once there is one, linked both ways; 409 the second time", async () => {
    const { c, claim, apiKey, post } = await setup();
    const none = await post(claim.id);
    expect(none.status).toBe(422);
    expect(none.json!.error).toMatchObject({
      code: "VALIDATION_FAILED",
      message: `The patient has no secondary coverage in force on ${SERVICE_DATE}, the first date of service of ${claim.displayNumber}.`,
    });

    const payer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "EXAMPLE SECONDARY PLAN" });
    const coverage = await createTestSelfCoverage(database.db, { organizationId: c.organizationId, patientId: c.patient.id, payerId: payer.id, priority: 2 });
    const created = await post(claim.id, { "idempotency-key": "secondary-1" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      status: "draft",
      coverageId: coverage.id,
      priority: 2,
      payer: { id: payer.id, name: "EXAMPLE SECONDARY PLAN" },
      totalCharge: 17_500,
      priorClaim: { id: claim.id, displayNumber: claim.displayNumber },
      laterClaims: [],
    });
    const secondaryId = created.json!.id as string;
    // The same request again with its Idempotency-Key: the stored answer, nothing new.
    const replayed = await post(claim.id, { "idempotency-key": "secondary-1" });
    expect(replayed.status).toBe(201);
    expect(replayed.json!.id).toBe(secondaryId);

    const primary = await callRoute(claimRoute.GET, { path: `/api/v1/claims/${claim.id}`, params: { id: claim.id }, apiKey });
    expect(primary.json).toMatchObject({ priorClaim: null, laterClaims: [{ id: secondaryId, status: "draft" }] });

    const again = await post(claim.id);
    expect(again.status).toBe(409);
    expect(again.json!.error).toMatchObject({
      code: "CONFLICT",
      message: `Claim ${created.json!.displayNumber as string} (draft) already carries the adjudication of ${claim.displayNumber} to the next payer.`,
    });
    expect(await database.db.claim.count({ where: { priorClaimId: claim.id } })).toBe(1);
  }, 120_000);

  it("404 for an unknown, malformed or other clinic's claim; 409 for a claim whose remittance is not posted; 401 without a key", async () => {
    const { c, post } = await setup();
    const { claim: unposted } = await submitTestClaim(database.db, c, SERVICE_DATE);
    const notPosted = await post(unposted.id);
    expect(notPosted.status).toBe(409);
    expect(notPosted.json!.error!.message).toMatch(/^The primary payer's remittance for CLM-\d{6} \(EXAMPLE HEALTH PLAN\) is not posted yet/);

    const other = await createTestBillingClinic(database.db);
    const { claim: theirs } = await submitTestClaim(database.db, other, SERVICE_DATE);
    for (const id of [theirs.id, "not-a-uuid", "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"]) {
      const response = await post(id);
      expect(response.status, id).toBe(404);
      expect(response.json!.error).toMatchObject({ code: "NOT_FOUND", message: "That claim does not exist." });
    }
    const anonymous = await callRoute(secondaryClaim.POST, {
      method: "POST",
      path: `/api/v1/claims/${unposted.id}/secondary-claim`,
      params: { id: unposted.id },
    });
    expect(anonymous.status).toBe(401);
    expect(await database.db.claim.count({ where: { organizationId: c.organizationId, priorClaimId: { not: null } } })).toBe(0);
  }, 120_000);

  it("is in the OpenAPI document", async () => {
    const document = (await callRoute(openapi.GET, { path: "/api/v1/openapi.json" })).json! as {
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(document.paths["/claims/{id}/secondary-claim"]!.post!.responses)).toEqual(expect.arrayContaining(["201", "401", "404", "409", "422"]));
  });
});
