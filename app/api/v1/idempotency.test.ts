import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { AppError } from "@/lib/errors";
import { requestFingerprint, withIdempotency } from "@/lib/http/idempotency";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as finalize from "./invoices/[id]/finalize/route";
import * as invoices from "./invoices/route";

const database = setupTestDatabase();

async function setupDraft() {
  const org = await createTestOrganization(database.db);
  const { secret: apiKey } = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "EHR sync" } });
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  const draft = await callRoute(invoices.POST, {
    method: "POST",
    path: "/api/v1/invoices",
    apiKey,
    body: { patientId: patient.id, lines: [{ description: "Office visit", quantity: 1, unitAmount: 12000 }] },
  });
  expect(draft.status).toBe(201);
  const invoiceId = draft.json!.id as string;
  return { org, apiKey, invoiceId, path: `/api/v1/invoices/${invoiceId}/finalize` };
}

/** What a request that was killed mid-flight leaves behind: its claim, still "running", whose lease ran out. */
async function leaveClaimOfDeadRequest(options: { organizationId: string; key: string; path: string }) {
  await database.db.$executeRaw`
    INSERT INTO idempotency_records (organization_id, key, fingerprint, locked_until, lease_token)
    VALUES (${options.organizationId}::uuid, ${options.key}, ${requestFingerprint("POST", options.path, "")}, now() - interval '1 second', gen_random_uuid())`;
}

async function finalizeJournals(invoiceId: string) {
  return database.db.journalEntry.count({ where: { kind: "invoice.finalized", sourceId: invoiceId } });
}

/** Resolves once `check` is true, polling the database (no fixed sleep: as long as it takes). */
async function waitFor(check: () => Promise<boolean>) {
  while (!(await check())) await new Promise((resolve) => setImmediate(resolve));
}

describe("Idempotency-Key after a crash", () => {
  it("a retry takes over the key of a request that died before finalizing, and finalizes exactly once", async () => {
    const { org, apiKey, invoiceId, path } = await setupDraft();
    await leaveClaimOfDeadRequest({ organizationId: org.organizationId, key: "finalize-crashed-1", path });

    const retry = await callRoute(finalize.POST, {
      method: "POST",
      path,
      params: { id: invoiceId },
      apiKey,
      headers: { "idempotency-key": "finalize-crashed-1" },
    });
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ id: invoiceId, status: "open", number: "INV-00001" });
    expect(await finalizeJournals(invoiceId)).toBe(1);

    const again = await callRoute(finalize.POST, {
      method: "POST",
      path,
      params: { id: invoiceId },
      apiKey,
      headers: { "idempotency-key": "finalize-crashed-1" },
    });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(retry.json);
    expect(await finalizeJournals(invoiceId)).toBe(1);
    const record = await database.db.idempotencyRecord.findUniqueOrThrow({
      where: { organizationId_key: { organizationId: org.organizationId, key: "finalize-crashed-1" } },
    });
    expect(record).toMatchObject({ attempts: 2, responseStatus: 200, lockedUntil: null });
  });

  it("a retry of a request that died after its finalize committed answers with the finalized invoice, not a conflict", async () => {
    const { org, apiKey, invoiceId, path } = await setupDraft();
    // The first request's effect committed, then its process died before storing the answer.
    const committed = await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId, actor: org.adminActor });
    await leaveClaimOfDeadRequest({ organizationId: org.organizationId, key: "finalize-crashed-2", path });

    const retry = await callRoute(finalize.POST, {
      method: "POST",
      path,
      params: { id: invoiceId },
      apiKey,
      headers: { "idempotency-key": "finalize-crashed-2" },
    });
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ id: invoiceId, status: "open", number: committed.number, total: committed.total });
    expect(await finalizeJournals(invoiceId)).toBe(1);

    // Without a dead request behind it, finalizing a finalized invoice is still a conflict.
    const fresh = await callRoute(finalize.POST, { method: "POST", path, params: { id: invoiceId }, apiKey, headers: { "idempotency-key": "finalize-fresh" } });
    expect(fresh.status).toBe(409);
  });

  it("a running request renews its lease: a duplicate gets 409 and never runs, however long the first takes", async () => {
    const { org } = await setupDraft();
    const options = { organizationId: org.organizationId, key: "slow-1", fingerprint: "f".repeat(64), leaseMs: 300 };
    let runs = 0;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const first = withIdempotency(database.db, options, async () => {
      runs++;
      await finished;
      return { status: 201, body: { done: true } };
    });

    const lease = () => database.db.idempotencyRecord.findUnique({ where: { organizationId_key: { organizationId: org.organizationId, key: "slow-1" } } });
    await waitFor(async () => (await lease()) !== null);
    const firstLease = (await lease())!.lockedUntil!;
    // Wait until the first lease would have run out, with the claim still held (renewed).
    await waitFor(async () => {
      const [row] = await database.db.$queryRaw<{ now: Date }[]>`SELECT now()`;
      return row!.now.getTime() > firstLease.getTime() + 2 * options.leaseMs;
    });
    expect((await lease())!.lockedUntil!.getTime()).toBeGreaterThan(firstLease.getTime());

    const duplicate = withIdempotency(database.db, options, async () => {
      runs++;
      return { status: 201, body: { done: "twice" } };
    });
    await expect(duplicate).rejects.toMatchObject({ code: "CONFLICT" });
    expect(runs).toBe(1);

    finish();
    expect(await first).toEqual({ status: 201, body: { done: true }, replayed: false });
    expect(await withIdempotency(database.db, options, async () => ({ status: 500, body: null }))).toEqual({
      status: 201,
      body: { done: true },
      replayed: true,
    });
    expect(runs).toBe(1);
  });

  it("concurrent retries of a dead request: exactly one takes the key over and runs", async () => {
    const { org } = await setupDraft();
    const fingerprint = "e".repeat(64);
    await database.db.$executeRaw`
      INSERT INTO idempotency_records (organization_id, key, fingerprint, locked_until, lease_token)
      VALUES (${org.organizationId}::uuid, 'dead-1', ${fingerprint}, now() - interval '1 second', gen_random_uuid())`;
    let runs = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        withIdempotency(database.db, { organizationId: org.organizationId, key: "dead-1", fingerprint }, async ({ resumed }) => {
          runs++;
          return { status: 200, body: { resumed } };
        }),
      ),
    );
    expect(runs).toBe(1);
    const ran = results.filter((result) => result.status === "fulfilled" && !result.value.replayed);
    expect(ran).toEqual([{ status: "fulfilled", value: { status: 200, body: { resumed: true }, replayed: false } }]);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toBeInstanceOf(AppError);
      else expect(result.value.body).toEqual({ resumed: true });
    }
  });
});
