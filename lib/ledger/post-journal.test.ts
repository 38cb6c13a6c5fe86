import { describe, expect, it } from "vitest";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { getTrialBalance } from "./balances";
import { postJournal, UnbalancedJournalError } from "./post-journal";

const database = setupTestDatabase();

const journal = (organizationId: string, amount: number) => ({
  organizationId,
  currency: "USD",
  kind: "test.adjustment",
  memo: "Test",
  source: { type: "test", id: crypto.randomUUID() },
  lines: [
    { account: "cash" as const, amount },
    { account: "revenue" as const, amount: -amount },
  ],
});

describe("postJournal", () => {
  it("refuses unbalanced and fractional journals before touching the database", async () => {
    const { organizationId } = await createTestOrganization(database.db);
    await expect(database.db.$transaction((tx) => postJournal(tx, { ...journal(organizationId, 100), lines: [{ account: "cash", amount: 100 }, { account: "revenue", amount: -99 }] }))).rejects.toBeInstanceOf(
      UnbalancedJournalError,
    );
    await expect(database.db.$transaction((tx) => postJournal(tx, { ...journal(organizationId, 100), lines: [{ account: "cash", amount: 0.5 }, { account: "revenue", amount: -0.5 }] }))).rejects.toBeInstanceOf(
      UnbalancedJournalError,
    );
    expect(await database.db.journalEntry.count({ where: { organizationId } })).toBe(0);
  });

  it("never remembers accounts created by a transaction that rolled back", async () => {
    const { organizationId } = await createTestOrganization(database.db);
    await expect(
      database.db.$transaction(async (tx) => {
        await postJournal(tx, journal(organizationId, 100));
        await postJournal(tx, journal(organizationId, 200));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await database.db.ledgerAccount.count({ where: { organizationId } })).toBe(0);
    await database.db.$transaction((tx) => postJournal(tx, journal(organizationId, 300)));
    await database.db.$transaction((tx) => postJournal(tx, journal(organizationId, 400)));
    const balances = Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
    expect(balances).toEqual({ "1000": 700, "4000": -700 });
  });
});
