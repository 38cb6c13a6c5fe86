import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient } from "@/tests/factories";
import { PRACTICE_INPUT, VALID_NPIS } from "@/tests/insurance-factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as coverage from "./coverages/[id]/route";
import * as coverageBenefits from "./coverages/[id]/benefits/route";
import * as coverageHistory from "./coverages/[id]/history/route";
import * as patient from "./patients/[id]/route";
import * as patientCoverages from "./patients/[id]/coverages/route";
import * as patients from "./patients/route";
import * as payer from "./payers/[id]/route";
import * as payers from "./payers/route";
import * as practice from "./practice/route";
import * as renderingProvider from "./rendering-providers/[id]/route";
import * as renderingProviders from "./rendering-providers/route";

const database = setupTestDatabase();

async function setupApi() {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "EHR sync" } });
  const jamie = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Jamie", lastName: "Rivera" });
  return { org, apiKey: key.secret, patientId: jamie.id };
}

const payerBody = { name: "Aetna", payerId: "60054", claimFilingIndicator: "CI" };
const coverageBody = (payerId: string, extra: Record<string, unknown> = {}) => ({
  payerId,
  priority: 1,
  memberId: "W123456789",
  effectiveFrom: "2026-01-01",
  ...extra,
});

describe("REST API: practice, rendering providers, payers, coverages", () => {
  it("/practice: 404 until set, 422 naming each bad identifier, then PUT and GET", async () => {
    const { apiKey } = await setupApi();
    expect((await callRoute(practice.GET, { path: "/api/v1/practice", apiKey })).status).toBe(404);

    for (const [field, change] of [
      ["npi", { npi: "1234567890" }],
      ["ein", { ein: "07-1234567" }],
      ["taxonomyCode", { taxonomyCode: "207Q0000" }],
      ["address.postalCode", { address: { ...PRACTICE_INPUT.address, postalCode: "97201" } }],
      ["address.state", { address: { ...PRACTICE_INPUT.address, state: "Oregon" } }],
    ] as const) {
      const refused = await callRoute(practice.PUT, { method: "PUT", path: "/api/v1/practice", apiKey, body: { ...PRACTICE_INPUT, ...change } });
      expect(refused.status, field).toBe(422);
      expect(refused.json!.error!.code).toBe("VALIDATION_FAILED");
      expect(Object.keys(refused.json!.error!.fields!), field).toEqual([field]);
    }
    expect((await callRoute(practice.GET, { path: "/api/v1/practice", apiKey })).status).toBe(404);

    const saved = await callRoute(practice.PUT, { method: "PUT", path: "/api/v1/practice", apiKey, body: PRACTICE_INPUT });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ npi: VALID_NPIS.practice, ein: "123456789", address: { postalCode: "972011234" } });
    const read = await callRoute(practice.GET, { path: "/api/v1/practice", apiKey });
    expect(read.json).toEqual(saved.json);
  });

  it("/rendering-providers: add, list, get, change, archive; 422 for a bad or taken NPI; 404 across clinics", async () => {
    const { apiKey } = await setupApi();
    const other = await setupApi();
    const created = await callRoute(renderingProviders.POST, {
      method: "POST",
      path: "/api/v1/rendering-providers",
      apiKey,
      body: { firstName: "Rosa", lastName: "Diaz", npi: VALID_NPIS.provider, taxonomyCode: "207Q00000X" },
    });
    expect(created.status).toBe(201);
    const id = created.json!.id as string;
    const taken = await callRoute(renderingProviders.POST, {
      method: "POST",
      path: "/api/v1/rendering-providers",
      apiKey,
      body: { firstName: "Other", lastName: "Person", npi: VALID_NPIS.provider },
    });
    expect([taken.status, Object.keys(taken.json!.error!.fields!)]).toEqual([422, ["npi"]]);
    const badNpi = await callRoute(renderingProviders.POST, {
      method: "POST",
      path: "/api/v1/rendering-providers",
      apiKey,
      body: { firstName: "Other", lastName: "Person", npi: "1234567890", taxonomyCode: "12" },
    });
    expect([badNpi.status, Object.keys(badNpi.json!.error!.fields!).sort()]).toEqual([422, ["npi", "taxonomyCode"]]);

    const patched = await callRoute(renderingProvider.PATCH, {
      method: "PATCH",
      path: `/api/v1/rendering-providers/${id}`,
      params: { id },
      apiKey,
      body: { lastName: "Diaz-Moreno" },
    });
    expect(patched.json).toMatchObject({ firstName: "Rosa", lastName: "Diaz-Moreno", npi: VALID_NPIS.provider, taxonomyCode: "207Q00000X" });
    expect((await callRoute(renderingProvider.GET, { path: `/api/v1/rendering-providers/${id}`, params: { id }, apiKey })).json).toEqual(patched.json);

    for (const call of [
      callRoute(renderingProvider.GET, { path: `/api/v1/rendering-providers/${id}`, params: { id }, apiKey: other.apiKey }),
      callRoute(renderingProvider.PATCH, {
        method: "PATCH",
        path: `/api/v1/rendering-providers/${id}`,
        params: { id },
        apiKey: other.apiKey,
        body: { lastName: "X" },
      }),
      callRoute(renderingProvider.DELETE, { method: "DELETE", path: `/api/v1/rendering-providers/${id}`, params: { id }, apiKey: other.apiKey }),
      callRoute(renderingProvider.GET, { path: "/api/v1/rendering-providers/not-a-uuid", params: { id: "not-a-uuid" }, apiKey }),
    ]) {
      expect((await call).status).toBe(404);
    }

    const archived = await callRoute(renderingProvider.DELETE, { method: "DELETE", path: `/api/v1/rendering-providers/${id}`, params: { id }, apiKey });
    expect(archived.json!.archivedAt).toEqual(expect.any(String));
    expect((await callRoute(renderingProviders.GET, { path: "/api/v1/rendering-providers", apiKey })).json).toEqual({ data: [] });
    const all = await callRoute(renderingProviders.GET, { path: "/api/v1/rendering-providers?includeArchived=true", apiKey });
    expect((all.json!.data as { id: string }[]).map((provider) => provider.id)).toEqual([id]);
  });

  it("/payers: add, search, get, change, archive; 422 for a taken payer id or bad fields; 404 across clinics", async () => {
    const { apiKey } = await setupApi();
    const other = await setupApi();
    const created = await callRoute(payers.POST, { method: "POST", path: "/api/v1/payers", apiKey, body: payerBody });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "Aetna", payerId: "60054", claimFilingIndicatorLabel: "Commercial insurance", coverageCount: 0 });
    const id = created.json!.id as string;

    const taken = await callRoute(payers.POST, { method: "POST", path: "/api/v1/payers", apiKey, body: { ...payerBody, name: "Aetna 2" } });
    expect([taken.status, taken.json!.error!.fields]).toEqual([422, { payerId: ["Another payer of this clinic already has this payer id."] }]);
    const bad = await callRoute(payers.POST, {
      method: "POST",
      path: "/api/v1/payers",
      apiKey,
      body: { name: "X", payerId: "60-054", claimFilingIndicator: "", address: { line1: "1 Main", city: "Town", state: "QQ", postalCode: "1234" } },
    });
    expect([bad.status, Object.keys(bad.json!.error!.fields!).sort()]).toEqual([
      422,
      ["address.postalCode", "address.state", "claimFilingIndicator", "payerId"],
    ]);

    await callRoute(payers.POST, { method: "POST", path: "/api/v1/payers", apiKey, body: { name: "Cigna", payerId: "62308", claimFilingIndicator: "CI" } });
    const found = await callRoute(payers.GET, { path: "/api/v1/payers?q=cig", apiKey });
    expect((found.json!.data as { name: string }[]).map((entry) => entry.name)).toEqual(["Cigna"]);

    const patched = await callRoute(payer.PATCH, {
      method: "PATCH",
      path: `/api/v1/payers/${id}`,
      params: { id },
      apiKey,
      body: { claimFilingIndicator: "HM", address: { line1: "PO Box 981106", city: "El Paso", state: "TX", postalCode: "79998-1106" } },
    });
    expect(patched.json).toMatchObject({ name: "Aetna", payerId: "60054", claimFilingIndicator: "HM", address: { city: "El Paso", postalCode: "799981106" } });
    expect((await callRoute(payer.GET, { path: `/api/v1/payers/${id}`, params: { id }, apiKey })).json).toEqual(patched.json);

    for (const call of [
      callRoute(payer.GET, { path: `/api/v1/payers/${id}`, params: { id }, apiKey: other.apiKey }),
      callRoute(payer.PATCH, { method: "PATCH", path: `/api/v1/payers/${id}`, params: { id }, apiKey: other.apiKey, body: { name: "Mine" } }),
      callRoute(payer.DELETE, { method: "DELETE", path: `/api/v1/payers/${id}`, params: { id }, apiKey: other.apiKey }),
    ]) {
      expect((await call).status).toBe(404);
    }
    const archived = await callRoute(payer.DELETE, { method: "DELETE", path: `/api/v1/payers/${id}`, params: { id }, apiKey });
    expect(archived.json!.archivedAt).toEqual(expect.any(String));
    expect(((await callRoute(payers.GET, { path: "/api/v1/payers", apiKey })).json!.data as { name: string }[]).map((entry) => entry.name)).toEqual(["Cigna"]);
  });

  it("/patients/{id}/coverages and /coverages/{id}: add, list, change, end, benefits, history, archive; 422s; 404 across clinics", async () => {
    const { apiKey, patientId } = await setupApi();
    const other = await setupApi();
    const aetna = (await callRoute(payers.POST, { method: "POST", path: "/api/v1/payers", apiKey, body: payerBody })).json!.id as string;
    const cigna = (
      await callRoute(payers.POST, { method: "POST", path: "/api/v1/payers", apiKey, body: { name: "Cigna", payerId: "62308", claimFilingIndicator: "CI" } })
    ).json!.id as string;
    const coveragesPath = `/api/v1/patients/${patientId}/coverages`;
    const post = (body: unknown, key = apiKey) =>
      callRoute(patientCoverages.POST, { method: "POST", path: coveragesPath, params: { id: patientId }, apiKey: key, body });

    const created = await post(coverageBody(aetna));
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ priority: 1, relationshipCode: "18", subscriber: null, version: 1, payer: { id: aetna, name: "Aetna" } });
    const id = created.json!.id as string;

    const overlap = await post(coverageBody(cigna, { effectiveFrom: "2026-05-01" }));
    expect(overlap.status).toBe(422);
    expect(overlap.json!.error!.fields).toEqual({ priority: ["Another primary coverage (Aetna, from 2026-01-01) is in force on these dates."] });
    const noBirthDate = await post(
      coverageBody(cigna, { priority: 2, relationshipCode: "01", subscriber: { firstName: "Morgan", lastName: "Rivera", sex: "F" } }),
    );
    expect([noBirthDate.status, noBirthDate.json!.error!.fields]).toEqual([422, { "subscriber.birthDate": ["Enter the subscriber's birth date."] }]);
    const otherClinicPayer = (await callRoute(payers.POST, { method: "POST", path: "/api/v1/payers", apiKey: other.apiKey, body: payerBody })).json!
      .id as string;
    const foreignPayer = await post(coverageBody(otherClinicPayer, { priority: 2 }));
    expect([foreignPayer.status, foreignPayer.json!.error!.fields]).toEqual([422, { payerId: ["Choose one of the clinic's payers."] }]);
    expect((await post(coverageBody(cigna, { priority: 2 }), other.apiKey)).status).toBe(404);

    const secondary = await post(
      coverageBody(cigna, { priority: 2, relationshipCode: "01", subscriber: { firstName: "Morgan", lastName: "Rivera", birthDate: "1980-05-17", sex: "F" } }),
    );
    expect(secondary.status).toBe(201);
    const listed = await callRoute(patientCoverages.GET, { path: coveragesPath, params: { id: patientId }, apiKey });
    expect((listed.json!.data as { id: string }[]).map((entry) => entry.id)).toEqual([id, secondary.json!.id]);
    expect((await callRoute(patientCoverages.GET, { path: coveragesPath, params: { id: patientId }, apiKey: other.apiKey })).status).toBe(404);

    // PATCH: only the fields sent change; the whole coverage is checked again.
    const ended = await callRoute(coverage.PATCH, {
      method: "PATCH",
      path: `/api/v1/coverages/${id}`,
      params: { id },
      apiKey,
      body: { effectiveTo: "2026-06-30", groupNumber: "G-77" },
    });
    expect(ended.status).toBe(200);
    expect(ended.json).toMatchObject({ memberId: "W123456789", effectiveTo: "2026-06-30", groupNumber: "G-77", version: 2 });
    const badPatch = await callRoute(coverage.PATCH, {
      method: "PATCH",
      path: `/api/v1/coverages/${id}`,
      params: { id },
      apiKey,
      body: { effectiveTo: "2025-12-31" },
    });
    expect([badPatch.status, Object.keys(badPatch.json!.error!.fields!)]).toEqual([422, ["effectiveTo"]]);
    const selfAgain = await callRoute(coverage.PATCH, {
      method: "PATCH",
      path: `/api/v1/coverages/${secondary.json!.id as string}`,
      params: { id: secondary.json!.id as string },
      apiKey,
      body: { relationshipCode: "18" },
    });
    expect(selfAgain.json).toMatchObject({ relationshipCode: "18", subscriber: null });

    const metAboveMax = await callRoute(coverageBenefits.PUT, {
      method: "PUT",
      path: `/api/v1/coverages/${id}/benefits`,
      params: { id },
      apiKey,
      body: { copays: [{ visitType: "office", amount: 2500 }], outOfPocketMaxIndividual: 500000, outOfPocketMaxIndividualMet: 600000 },
    });
    expect([metAboveMax.status, metAboveMax.json!.error!.fields]).toEqual([
      422,
      { outOfPocketMaxIndividualMet: ["The amount met cannot be more than the individual out-of-pocket maximum."] },
    ]);
    const benefits = await callRoute(coverageBenefits.PUT, {
      method: "PUT",
      path: `/api/v1/coverages/${id}/benefits`,
      params: { id },
      apiKey,
      body: { copays: [{ visitType: "office", amount: 2500 }], coinsuranceBasisPoints: 2000, deductibleIndividual: 150000, deductibleIndividualMet: 20000 },
    });
    expect(benefits.status).toBe(200);
    expect(benefits.json).toMatchObject({ version: 3, benefits: { coinsuranceBasisPoints: 2000, deductibleIndividualMet: 20000, source: "manual" } });

    const gone = await callRoute(coverage.DELETE, { method: "DELETE", path: `/api/v1/coverages/${id}`, params: { id }, apiKey });
    expect(gone.json).toMatchObject({ version: 4, archivedAt: expect.any(String) });
    const archivedPatch = await callRoute(coverage.PATCH, {
      method: "PATCH",
      path: `/api/v1/coverages/${id}`,
      params: { id },
      apiKey,
      body: { memberId: "X1" },
    });
    expect(archivedPatch.status).toBe(409);

    const history = await callRoute(coverageHistory.GET, { path: `/api/v1/coverages/${id}/history`, params: { id }, apiKey });
    expect((history.json!.data as { version: number; change: string; actor: string }[]).map((entry) => [entry.version, entry.change, entry.actor])).toEqual([
      [4, "archived", "api-key:EHR sync"],
      [3, "benefits_verified", "api-key:EHR sync"],
      [2, "ended", "api-key:EHR sync"],
      [1, "created", "api-key:EHR sync"],
    ]);

    for (const call of [
      callRoute(coverage.GET, { path: `/api/v1/coverages/${id}`, params: { id }, apiKey: other.apiKey }),
      callRoute(coverage.PATCH, { method: "PATCH", path: `/api/v1/coverages/${id}`, params: { id }, apiKey: other.apiKey, body: { memberId: "X" } }),
      callRoute(coverage.DELETE, { method: "DELETE", path: `/api/v1/coverages/${id}`, params: { id }, apiKey: other.apiKey }),
      callRoute(coverageBenefits.PUT, { method: "PUT", path: `/api/v1/coverages/${id}/benefits`, params: { id }, apiKey: other.apiKey, body: { copays: [] } }),
      callRoute(coverageHistory.GET, { path: `/api/v1/coverages/${id}/history`, params: { id }, apiKey: other.apiKey }),
      callRoute(coverage.GET, { path: "/api/v1/coverages/123", params: { id: "123" }, apiKey }),
    ]) {
      expect((await call).status).toBe(404);
    }
    expect((await callRoute(coverage.GET, { path: `/api/v1/coverages/${id}`, params: { id }, apiKey })).json).toMatchObject({
      id,
      archivedAt: expect.any(String),
    });
  });

  it("answers malformed coverage and benefits bodies with 422 naming the fields, and writes nothing", async () => {
    const { apiKey, patientId } = await setupApi();
    const aetna = (await callRoute(payers.POST, { method: "POST", path: "/api/v1/payers", apiKey, body: payerBody })).json!.id as string;
    const path = `/api/v1/patients/${patientId}/coverages`;
    const cases: [unknown, string[]][] = [
      [{ ...coverageBody(aetna), priority: "1" }, ["priority"]],
      [{ ...coverageBody(aetna), payerId: "aetna" }, ["payerId"]],
      [{ ...coverageBody(aetna), effectiveFrom: "0000-01-01", effectiveTo: "2026-13-01" }, ["effectiveFrom", "effectiveTo"]],
      [{ ...coverageBody(aetna), memberId: "W1~NM1*IL", groupName: "x".repeat(61) }, ["groupName", "memberId"]],
      [{ ...coverageBody(aetna), relationshipCode: "19", subscriber: "Morgan" }, ["subscriber"]],
      [{ ...coverageBody(aetna), acceptsAssignment: "Y", benefitsAssigned: true, extra: 1 }, ["acceptsAssignment", "benefitsAssigned", "extra"]],
      [[], []],
    ];
    for (const [body, fields] of cases) {
      const response = await callRoute(patientCoverages.POST, { method: "POST", path, params: { id: patientId }, apiKey, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(response.json!.error!.fields ?? {}).sort(), JSON.stringify(body)).toEqual(fields);
    }
    expect(await database.db.coverage.count({ where: { patientId } })).toBe(0);

    const id = (await callRoute(patientCoverages.POST, { method: "POST", path, params: { id: patientId }, apiKey, body: coverageBody(aetna) })).json!
      .id as string;
    for (const [body, fields] of [
      [{ copays: "25" }, ["copays"]],
      [{ copays: [{ visitType: "office", amount: 25.5 }], coinsuranceBasisPoints: -1 }, ["coinsuranceBasisPoints", "copays.0.amount"]],
      [{ deductibleIndividual: 1000, deductibleIndividualMet: 1001, outOfPocketMaxFamily: 10 ** 9 }, ["deductibleIndividualMet", "outOfPocketMaxFamily"]],
    ] as [unknown, string[]][]) {
      const response = await callRoute(coverageBenefits.PUT, { method: "PUT", path: `/api/v1/coverages/${id}/benefits`, params: { id }, apiKey, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(response.json!.error!.fields ?? {}).sort(), JSON.stringify(body)).toEqual(fields);
    }
    expect((await callRoute(coverage.GET, { path: `/api/v1/coverages/${id}`, params: { id }, apiKey })).json).toMatchObject({
      version: 1,
      benefits: { verifiedAt: null },
    });
  });

  it("/patients: sex and release of information are created, changed, cleared and refused when not a code", async () => {
    const { apiKey } = await setupApi();
    const created = await callRoute(patients.POST, {
      method: "POST",
      path: "/api/v1/patients",
      apiKey,
      body: { firstName: "Sam", lastName: "Lee", sex: "M", releaseOfInformation: "Y" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ sex: "M", releaseOfInformation: "Y" });
    const id = created.json!.id as string;
    const bad = await callRoute(patient.PATCH, {
      method: "PATCH",
      path: `/api/v1/patients/${id}`,
      params: { id },
      apiKey,
      body: { sex: "X", releaseOfInformation: "N" },
    });
    expect([bad.status, Object.keys(bad.json!.error!.fields!).sort()]).toEqual([422, ["releaseOfInformation", "sex"]]);
    const changed = await callRoute(patient.PATCH, {
      method: "PATCH",
      path: `/api/v1/patients/${id}`,
      params: { id },
      apiKey,
      body: { sex: "U", releaseOfInformation: null },
    });
    expect(changed.json).toMatchObject({ sex: "U", releaseOfInformation: null });
    const read = await callRoute(patient.GET, { path: `/api/v1/patients/${id}`, params: { id }, apiKey });
    expect(read.json).toMatchObject({ sex: "U", releaseOfInformation: null });
  });
});
