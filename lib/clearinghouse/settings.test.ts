import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { isEmbeddedUrl } from "@/lib/db/embedded-url";
import { toAppError } from "@/lib/http/error-response";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { getClearinghouseSettings, saveClearinghouseSettings, type TClearinghouseSettingsInput } from "./settings";

const database = setupTestDatabase();

const TAKEN = {
  submitterId: [
    "This submitter id is already used by another clinic on Carebill with this clearinghouse. Each clinic needs its own: ask the clearinghouse for one.",
  ],
};

const input = (submitterId: string, receiverId: string): TClearinghouseSettingsInput => ({
  connection: "manual",
  submitterId,
  submitterName: "EXAMPLE CLINIC",
  receiverId,
  receiverName: "EXAMPLE CLEARINGHOUSE",
});

/** The AppError a save was refused with (the test fails if it was not refused). */
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => toAppError(caught),
  );
  expect(error, "the save should have been refused").not.toBeNull();
  return error!;
}

/** What a refused save must not have written for the clinic. */
async function written(organizationId: string) {
  return {
    settings: await getClearinghouseSettings(database.db, { organizationId }),
    audit: await database.db.auditEvent.count({ where: { organizationId, action: "clearinghouse_settings.saved" } }),
  };
}

describe("a submitter id is one clinic's at a clearinghouse", () => {
  it("a second clinic saving the same receiver and submitter id gets a 422 on submitterId and nothing is written; another receiver is fine", async () => {
    const first = await createTestOrganization(database.db);
    const second = await createTestOrganization(database.db);
    await saveClearinghouseSettings(database.db, { organizationId: first.organizationId, actor: first.adminActor, input: input("ETIN-42", "CH42") });

    // The same ids typed in lower case are the same ids (stored upper-cased).
    const error = await refusal(
      saveClearinghouseSettings(database.db, { organizationId: second.organizationId, actor: second.adminActor, input: input(" etin-42 ", "ch42") }),
    );
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.status).toBe(422);
    expect(error.fields).toEqual(TAKEN);
    // Which clinic holds it is not said.
    expect(JSON.stringify({ message: error.message, fields: error.fields })).not.toMatch(new RegExp(`${first.slug}|${first.organizationId}`));
    expect(await written(second.organizationId)).toEqual({ settings: null, audit: 0 });

    const elsewhere = await saveClearinghouseSettings(database.db, {
      organizationId: second.organizationId,
      actor: second.adminActor,
      input: input("ETIN-42", "OTHERCH"),
    });
    expect(elsewhere).toMatchObject({ submitterId: "ETIN-42", receiverId: "OTHERCH" });

    // Changing to the taken pair later is refused too, and the clinic keeps what it had.
    const before = await written(second.organizationId);
    expect(
      (
        await refusal(
          saveClearinghouseSettings(database.db, { organizationId: second.organizationId, actor: second.adminActor, input: input("ETIN-42", "CH42") }),
        )
      ).fields,
    ).toEqual(TAKEN);
    expect(await written(second.organizationId)).toEqual(before);
    // The holder saves its own pair again as often as it likes.
    await saveClearinghouseSettings(database.db, { organizationId: first.organizationId, actor: first.adminActor, input: input("ETIN-42", "CH42") });
    expect(await database.db.clearinghouseSettings.count({ where: { receiverId: "CH42", submitterId: "ETIN-42" } })).toBe(1);
  });

  it("two clinics saving the same pair at once over separate connections: one is saved, the other gets the 422, never a 500", async () => {
    const clinics = [await createTestOrganization(database.db), await createTestOrganization(database.db)];
    const clients = clinics.map(() => createDb({ connectionString: database.url, poolSize: 1 }));
    try {
      const outcomes = await Promise.allSettled(
        clinics.map((clinic, index) =>
          saveClearinghouseSettings(clients[index]!, { organizationId: clinic.organizationId, actor: clinic.adminActor, input: input("RACE-1", "CH-RACE") }),
        ),
      );
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
      const loser = outcomes.findIndex((outcome) => outcome.status === "rejected");
      const error = toAppError((outcomes[loser] as PromiseRejectedResult).reason);
      expect({ code: error.code, fields: error.fields }).toEqual({ code: "VALIDATION_FAILED", fields: TAKEN });
      expect(await written(clinics[loser]!.organizationId)).toEqual({ settings: null, audit: 0 });
      expect(await written(clinics[1 - loser]!.organizationId)).toMatchObject({ settings: { submitterId: "RACE-1", receiverId: "CH-RACE" }, audit: 1 });
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });

  it("a save that waits on another clinic's uncommitted insert of the pair ends in the 422 once that commits", async () => {
    // On PostgreSQL only: the embedded server runs one transaction at a time, so no save can wait
    // on another transaction's row there (it would wait for a connection instead).
    if (isEmbeddedUrl(database.url)) return;
    const [holder, waiter] = [await createTestOrganization(database.db), await createTestOrganization(database.db)];
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(
        `INSERT INTO clearinghouse_settings (organization_id, submitter_id, submitter_name, receiver_id, receiver_name) VALUES ($1::uuid, 'WAIT-1', 'HOLDER', 'CH-WAIT', 'CH')`,
        [holder.organizationId],
      );
      const saving = saveClearinghouseSettings(database.db, {
        organizationId: waiter.organizationId,
        actor: waiter.adminActor,
        input: input("WAIT-1", "CH-WAIT"),
      }).then(
        () => null,
        (caught: unknown) => toAppError(caught),
      );
      // The save's insert blocks on the index entry of the open transaction: wait for it to be blocked.
      await expect
        .poll(
          async () => {
            const { rows } = await other.query<{ waiting: number }>(
              `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
            );
            return rows[0]!.waiting;
          },
          { timeout: 10_000, interval: 50 },
        )
        .toBe(1);
      await other.query("COMMIT");
      const error = await saving;
      expect(error).not.toBeNull();
      expect({ code: error!.code, fields: error!.fields }).toEqual({ code: "VALIDATION_FAILED", fields: TAKEN });
      expect(await written(waiter.organizationId)).toEqual({ settings: null, audit: 0 });
    } finally {
      await other.end();
    }
  });
});
