import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { importClearinghouseFile } from "@/lib/clearinghouse/import-file";
import { callRoute } from "@/tests/api-client";
import { readdress, sampleFile, testSubmitterId } from "@/tests/clearinghouse-files";
import { createTestOrganization } from "@/tests/factories";
import { createTestBillingSetup } from "@/tests/insurance-fixtures";
import { setupTestDatabase } from "@/tests/test-database";
import * as list from "./remittances/route";
import * as one from "./remittances/[id]/route";

const database = setupTestDatabase();

async function clinicWithApi() {
  const org = await createTestOrganization(database.db);
  await createTestBillingSetup(database.db, { organizationId: org.organizationId });
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "Billing sync" } });
  const importSample = (path: string, interchangeControlNumber: number, change: (text: string) => string = (text) => text) =>
    importClearinghouseFile(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      fileName: path.split("/").at(-1)!,
      content: change(readdress(sampleFile(path), { submitterId: testSubmitterId(org.organizationId), interchangeControlNumber })),
      source: "upload",
    });
  return { org, apiKey: key.secret, importSample };
}

describe("REST API: remittances", () => {
  it("lists payments newest first with filters and pages, and shows one with its claim payments, adjustments in words and PLB", async () => {
    const { apiKey, importSample } = await clinicWithApi();
    await importSample("linuxforhealth/835/medicare-part-a.835", 901);
    // The same sample paid as 45.70: it no longer adds up (and is another payment: another amount).
    await importSample("tastypackets/profee.edi", 902, (text) => text.replace("BPR*I*45.75*", "BPR*I*45.70*"));

    const all = await callRoute(list.GET, { path: "/api/v1/remittances", apiKey });
    expect(all.status).toBe(200);
    const data = all.json!.data as { id: string; status: string; payerName: string; totalAmount: number; claimCount: number; unmatchedClaimCount: number }[];
    expect(data.map((row) => [row.payerName, row.status, row.totalAmount, row.claimCount, row.unmatchedClaimCount])).toEqual([
      ["NYSDOH", "needs_review", 4_570, 3, 3],
      ["INSURANCE COMPANY OF TIMBUCKTU", "received", 15_000_000, 2, 2],
    ]);
    expect(all.json!.nextCursor).toBeNull();

    const review = await callRoute(list.GET, { path: "/api/v1/remittances?status=needs_review", apiKey });
    expect((review.json!.data as { payerName: string }[]).map((row) => row.payerName)).toEqual(["NYSDOH"]);
    const received = await callRoute(list.GET, { path: "/api/v1/remittances?status=received", apiKey });
    expect((received.json!.data as { payerName: string }[]).map((row) => row.payerName)).toEqual(["INSURANCE COMPANY OF TIMBUCKTU"]);
    const unmatched = await callRoute(list.GET, { path: "/api/v1/remittances?status=unmatched", apiKey });
    expect(unmatched.json!.data).toHaveLength(2);

    const first = await callRoute(list.GET, { path: "/api/v1/remittances?limit=1", apiKey });
    expect(first.json!.nextCursor).toBe(data[0]!.id);
    const second = await callRoute(list.GET, { path: `/api/v1/remittances?limit=1&cursor=${first.json!.nextCursor as string}`, apiKey });
    expect((second.json!.data as { id: string }[]).map((row) => row.id)).toEqual([data[1]!.id]);

    const profee = await callRoute(one.GET, { path: `/api/v1/remittances/${data[0]!.id}`, params: { id: data[0]!.id }, apiKey });
    expect(profee.status).toBe(200);
    expect(profee.json).toMatchObject({
      status: "needs_review",
      imbalances: [{ kind: "payment", message: expect.stringMatching(/^Payment 10100000000: the payment is \$45\.70 \(BPR02\)/) }],
      claims: [
        { statusDescription: "Processed as primary", unmatchedReason: '"PATIENT ACCOUNT NUMBER" (CLP01) is not a Carebill claim number.', claim: null },
        {
          statusDescription: "Processed as secondary",
          lines: [
            { procedureCode: "V2020", adjustments: [{ groupCode: "CO", group: "Contractual obligation", reasonCode: "29", amount: 1_200 }] },
            { procedureCode: "V2103" },
          ],
        },
        { lines: [{}, {}, { remarkCodes: [{ code: "N206", description: expect.any(String) }] }, {}] },
      ],
    });
    const reason = (profee.json!.claims as { lines: { adjustments: { reason: string }[] }[] }[])[1]!.lines[0]!.adjustments[0]!.reason;
    expect(reason).toMatch(/time limit for filing has expired/i);

    const medicare = await callRoute(one.GET, { path: `/api/v1/remittances/${data[1]!.id}`, params: { id: data[1]!.id }, apiKey });
    expect(medicare.json).toMatchObject({
      paymentMethod: "ACH",
      paidOn: "2002-09-13",
      payerIdentifier: "999",
      providerAdjustments: [{ reasonCode: "CV", reason: "Capital passthru", reference: "CP", amount: -127 }],
      claims: [{ adjustments: [{ groupCode: "CO", reasonCode: "45", amount: 7_334_857 }], lines: [] }, { remarkCodes: [{ code: "MA02" }] }],
    });
  });

  it("another clinic's remittance and a malformed id are 404; an unknown filter is 422", async () => {
    const a = await clinicWithApi();
    const b = await clinicWithApi();
    await a.importSample("tastypackets/profee.edi", 903);
    const [remittance] = await database.db.remittance.findMany({ where: { organizationId: a.org.organizationId } });
    const other = await callRoute(one.GET, { path: `/api/v1/remittances/${remittance!.id}`, params: { id: remittance!.id }, apiKey: b.apiKey });
    expect(other.status).toBe(404);
    expect(other.json!.error!.message).toBe("That remittance does not exist.");
    expect((await callRoute(one.GET, { path: "/api/v1/remittances/nope", params: { id: "nope" }, apiKey: a.apiKey })).status).toBe(404);
    expect((await callRoute(list.GET, { path: "/api/v1/remittances", apiKey: b.apiKey })).json!.data).toEqual([]);
    const bad = await callRoute(list.GET, { path: "/api/v1/remittances?status=paid", apiKey: a.apiKey });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json!.error!.fields!)).toEqual(["status"]);
  });
});
