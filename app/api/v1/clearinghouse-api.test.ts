import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { readSftpPrivateKey } from "@/lib/clearinghouse/settings";
import { callRoute } from "@/tests/api-client";
import { readdress, sampleFile } from "@/tests/clearinghouse-files";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as files from "./clearinghouse/files/route";
import * as settings from "./clearinghouse/settings/route";
import { generateSshKeyPair } from "@/lib/clearinghouse/ssh-keys";

const database = setupTestDatabase();

async function setupApi() {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "Billing sync" } });
  return { org, apiKey: key.secret };
}

const manual = {
  connection: "manual",
  submitterId: "sub-001",
  submitterName: "Sunrise Family Clinic",
  receiverId: "ch01",
  receiverName: "Example Clearinghouse",
};

describe("REST API: clearinghouse settings and files", () => {
  it("/clearinghouse/settings: 404 until set; SFTP needs every field; the key is stored encrypted and never returned", async () => {
    const { org, apiKey } = await setupApi();
    const path = "/api/v1/clearinghouse/settings";
    expect((await callRoute(settings.GET, { path, apiKey })).status).toBe(404);

    const incomplete = await callRoute(settings.PUT, { method: "PUT", path, apiKey, body: { ...manual, connection: "sftp", sftpHost: "127.0.0.1" } });
    expect(incomplete.status).toBe(422);
    expect(Object.keys(incomplete.json!.error!.fields!).sort()).toEqual(["sftpDownloadPath", "sftpPrivateKey", "sftpUploadPath", "sftpUsername"]);
    const badKey = await callRoute(settings.PUT, { method: "PUT", path, apiKey, body: { ...manual, sftpPrivateKey: "-----BEGIN NOTHING-----" } });
    expect(badKey.json!.error!.fields!.sftpPrivateKey).toEqual([expect.stringMatching(/not a private key Carebill can use/)]);
    const badId = await callRoute(settings.PUT, { method: "PUT", path, apiKey, body: { ...manual, submitterId: "SUB*001" } });
    expect(Object.keys(badId.json!.error!.fields!)).toEqual(["submitterId"]);

    const keys = generateSshKeyPair();
    const sftp = {
      ...manual,
      connection: "sftp",
      sftpHost: "sftp.example.test",
      sftpPort: 2222,
      sftpUsername: "sub-001",
      sftpUploadPath: "/inbox/",
      sftpDownloadPath: "/outbox",
    };
    const saved = await callRoute(settings.PUT, { method: "PUT", path, apiKey, body: { ...sftp, sftpPrivateKey: keys.private } });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ connection: "sftp", submitterId: "SUB-001", receiverId: "CH01", hasPrivateKey: true, sftpUploadPath: "/inbox" });
    expect(saved.text).not.toContain("PRIVATE KEY");
    const row = await database.db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId: org.organizationId } });
    expect(row.sftpPrivateKeyEncrypted).toMatch(/^v1:/);
    expect(row.sftpPrivateKeyEncrypted).not.toContain(keys.private.split("\n")[1]);
    expect(readSftpPrivateKey(row)).toBe(keys.private.trim());
    // Another clinic's row cannot decrypt it (the organization is authenticated with the key).
    expect(() => readSftpPrivateKey({ ...row, organizationId: "00000000-0000-4000-8000-000000000001" })).toThrow(/cannot be decrypted/);

    // Omitted: the key is kept. null: removed (then SFTP is refused for want of a key).
    expect((await callRoute(settings.PUT, { method: "PUT", path, apiKey, body: sftp })).json).toMatchObject({ hasPrivateKey: true });
    const removed = await callRoute(settings.PUT, { method: "PUT", path, apiKey, body: { ...sftp, sftpPrivateKey: null } });
    expect(removed.json!.error!.fields).toEqual({ sftpPrivateKey: ["Paste the private key of the SFTP account."] });
    expect((await callRoute(settings.PUT, { method: "PUT", path, apiKey, body: { ...manual, sftpPrivateKey: null } })).json).toMatchObject({
      hasPrivateKey: false,
    });
    expect((await callRoute(settings.GET, { path, apiKey })).json).toMatchObject({ connection: "manual", hasPrivateKey: false });
    expect(await database.db.auditEvent.count({ where: { organizationId: org.organizationId, action: "clearinghouse_settings.saved" } })).toBe(3);
  });

  it("/clearinghouse/settings: a submitter id another clinic uses with the same clearinghouse is a 422 on submitterId, and nothing is written", async () => {
    const first = await setupApi();
    const second = await setupApi();
    const path = "/api/v1/clearinghouse/settings";
    const pair = { ...manual, submitterId: "SHARED-7", receiverId: "CH07" };
    expect((await callRoute(settings.PUT, { method: "PUT", path, apiKey: first.apiKey, body: pair })).status).toBe(200);

    // Ids are compared as stored (upper-cased): "shared-7" is the same id.
    const taken = await callRoute(settings.PUT, { method: "PUT", path, apiKey: second.apiKey, body: { ...pair, submitterId: "shared-7" } });
    expect(taken.status).toBe(422);
    expect(taken.json!.error!.fields).toEqual({
      submitterId: [
        "This submitter id is already used by another clinic on Carebill with this clearinghouse. Each clinic needs its own: ask the clearinghouse for one.",
      ],
    });
    expect(taken.text).not.toContain(first.org.slug);
    expect((await callRoute(settings.GET, { path, apiKey: second.apiKey })).status).toBe(404);
    expect(await database.db.auditEvent.count({ where: { organizationId: second.org.organizationId, action: "clearinghouse_settings.saved" } })).toBe(0);

    // The same submitter id at another clearinghouse is another clinic's business.
    const elsewhere = await callRoute(settings.PUT, { method: "PUT", path, apiKey: second.apiKey, body: { ...pair, receiverId: "CH08" } });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.json).toMatchObject({ submitterId: "SHARED-7", receiverId: "CH08" });
    // Moving to the taken pair later is refused the same way, and keeps what was saved.
    expect((await callRoute(settings.PUT, { method: "PUT", path, apiKey: second.apiKey, body: pair })).status).toBe(422);
    expect((await callRoute(settings.GET, { path, apiKey: second.apiKey })).json).toMatchObject({ submitterId: "SHARED-7", receiverId: "CH08" });
    // The clinic that holds the pair saves it again freely.
    expect((await callRoute(settings.PUT, { method: "PUT", path, apiKey: first.apiKey, body: { ...pair, submitterName: "Sunrise Clinic" } })).status).toBe(200);
  });

  it("/clearinghouse/files: upload as text or JSON, list, and refusals (duplicate 422, unknown type 415)", async () => {
    const { apiKey } = await setupApi();
    // A submitter id of this clinic's own: the first test's clinic holds SUB-001 at CH01.
    const saved = await callRoute(settings.PUT, { method: "PUT", path: "/api/v1/clearinghouse/settings", apiKey, body: { ...manual, submitterId: "SUB-002" } });
    expect(saved.status).toBe(200);
    const file = (number: number) =>
      readdress(sampleFile("imsweb/samples/837_5010__x12_999_accepted.txt"), { submitterId: "SUB-002", interchangeControlNumber: number });

    const text = await callRoute(files.POST, {
      method: "POST",
      path: "/api/v1/clearinghouse/files?fileName=ack-1.999",
      apiKey,
      rawBody: file(1),
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
    expect(text.status).toBe(201);
    expect(text.json).toMatchObject({ kind: "999", summary: [{ message: expect.stringMatching(/no claim file of this clinic has these control numbers/) }] });

    const asJson = await callRoute(files.POST, {
      method: "POST",
      path: "/api/v1/clearinghouse/files",
      apiKey,
      body: { fileName: "ack-2.999", content: file(2) },
    });
    expect(asJson.status).toBe(201);

    const duplicate = await callRoute(files.POST, {
      method: "POST",
      path: "/api/v1/clearinghouse/files",
      apiKey,
      body: { fileName: "again.999", content: file(2) },
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.json!.error!.message).toMatch(/^This file was already imported on .* \(file ack-2\.999\)\.$/);

    const other = await callRoute(files.POST, {
      method: "POST",
      path: "/api/v1/clearinghouse/files",
      apiKey,
      body: { fileName: "x", content: sampleFile("imsweb/samples/837_5010__x12_999_accepted.txt") },
    });
    expect(other.json!.error!.message).toMatch(/addressed to submitter "987654321"/);
    const unsupported = await callRoute(files.POST, {
      method: "POST",
      path: "/api/v1/clearinghouse/files",
      apiKey,
      rawBody: file(3),
      headers: { "content-type": "application/pdf" },
    });
    expect(unsupported.status).toBe(415);
    expect(
      (await callRoute(files.POST, { method: "POST", path: "/api/v1/clearinghouse/files", apiKey, body: { fileName: "", content: "" } })).json!.error!.fields,
    ).toEqual({
      fileName: ["Give the file's name."],
      content: ["The file is empty."],
    });

    const listed = await callRoute(files.GET, { path: "/api/v1/clearinghouse/files", apiKey });
    expect((listed.json!.data as { fileName: string }[]).map((each) => each.fileName)).toEqual(["ack-2.999", "ack-1.999"]);
    expect((await callRoute(files.GET, { path: "/api/v1/clearinghouse/files?limit=0", apiKey })).status).toBe(422);
  });
});
