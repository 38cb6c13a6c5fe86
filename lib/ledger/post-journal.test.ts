import { describe, expect, it } from "vitest";
import { createTestOrganization, createTestPatient } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { getTrialBalance } from "./balances";
import { checkLedger } from "./balances";
import { getPatientCredit } from "@/lib/patient-credit/credit-balances";
import { postJournal, reverseJournal, UnbalancedJournalError } from "./post-journal";

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
    await expect(
      database.db.$transaction((tx) =>
        postJournal(tx, {
          ...journal(organizationId, 100),
          lines: [
            { account: "cash", amount: 100 },
            { account: "revenue", amount: -99 },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(UnbalancedJournalError);
    await expect(
      database.db.$transaction((tx) =>
        postJournal(tx, {
          ...journal(organizationId, 100),
          lines: [
            { account: "cash", amount: 0.5 },
            { account: "revenue", amount: -0.5 },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(UnbalancedJournalError);
    await expect(
      database.db.$transaction((tx) =>
        postJournal(tx, {
          ...journal(organizationId, 100),
          lines: [
            { account: "arInsurance", amount: 100 },
            { account: "revenue", amount: -100 },
          ],
        }),
      ),
    ).rejects.toThrow("an insurance-receivable line without its claim");
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

  it("keeps each patient's credit balance equal to their patient-credit lines, also through a reversal", async () => {
    const { organizationId } = await createTestOrganization(database.db);
    const patient = await createTestPatient(database.db, { organizationId });
    const other = await createTestPatient(database.db, { organizationId });
    const credit = (patientId: string, amount: number) => ({
      ...journal(organizationId, amount),
      lines: [
        { account: "cash" as const, amount },
        { account: "patientCredit" as const, amount: -amount, patientId },
      ],
    });
    const first = await database.db.$transaction((tx) => postJournal(tx, credit(patient.id, 2_500)));
    await database.db.$transaction((tx) => postJournal(tx, credit(other.id, 700)));
    expect(await getPatientCredit(database.db, { organizationId, patientId: patient.id })).toEqual([{ currency: "USD", balance: 2_500 }]);
    await database.db.$transaction((tx) => reverseJournal(tx, { journalEntryId: first!.id, kind: "test.reversed", memo: "Reversed" }));
    expect(await getPatientCredit(database.db, { organizationId, patientId: patient.id })).toEqual([]);
    expect(await getPatientCredit(database.db, { organizationId, patientId: other.id })).toEqual([{ currency: "USD", balance: 700 }]);
    // Spending more than the balance is refused by the database and nothing is written.
    await expect(database.db.$transaction((tx) => postJournal(tx, credit(other.id, -701)))).rejects.toThrow();
    await expect(
      database.db.$transaction((tx) =>
        postJournal(tx, {
          ...journal(organizationId, 1),
          lines: [
            { account: "cash", amount: 1 },
            { account: "patientCredit", amount: -1 },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(UnbalancedJournalError);
    expect((await checkLedger(database.db)).patientCreditMismatches).toEqual([]);
  });
});
