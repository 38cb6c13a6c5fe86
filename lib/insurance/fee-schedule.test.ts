import { describe, expect, it } from "vitest";
import { createTestOrganization } from "@/tests/factories";
import { createTestPayer } from "@/tests/insurance-factories";
import { refusal } from "@/tests/refusal";
import { setupTestDatabase } from "@/tests/test-database";
import { deletePayerFee, listPayerFeeSchedule, upsertPayerFee } from "./fee-schedule";

const database = setupTestDatabase();

async function clinicWithPayer() {
  const org = await createTestOrganization(database.db);
  const payer = await createTestPayer(database.db, { organizationId: org.organizationId });
  return { ...org, payer, options: { organizationId: org.organizationId, actor: org.adminActor, payerId: payer.id } };
}

const auditEvents = (organizationId: string) =>
  database.db.auditEvent.findMany({
    where: { organizationId, action: { startsWith: "payer_fee." } },
    orderBy: { createdAt: "asc" },
    select: { action: true, targetType: true, targetId: true, before: true, after: true },
  });

describe("a payer's fee schedule", () => {
  it("stores the code upper-cased, the amount in cents per unit and a blank modifier as any modifier; lists by code, any-modifier first", async () => {
    const c = await clinicWithPayer();
    const office = await upsertPayerFee(database.db, { ...c.options, input: { procedureCode: " 99213 ", allowedAmount: "85" } });
    const withModifier = await upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "99213", modifier: "25", allowedAmount: "92.50" } });
    const hcpcs = await upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "g0439", modifier: "", allowedAmount: "1,250.07" } });
    expect(office).toMatchObject({ procedureCode: "99213", modifier: null, allowedAmount: 8_500, created: true });
    expect(withModifier).toMatchObject({ modifier: "25", allowedAmount: 9_250, created: true });
    expect(hcpcs).toMatchObject({ procedureCode: "G0439", modifier: null, allowedAmount: 125_007 });

    const listed = await listPayerFeeSchedule(database.db, { organizationId: c.organizationId, payerId: c.payer.id });
    expect(listed.map((fee) => [fee.procedureCode, fee.modifier, fee.allowedAmount])).toEqual([
      ["99213", null, 8_500],
      ["99213", "25", 9_250],
      ["G0439", null, 125_007],
    ]);
    const stored = await database.db.payerFeeSchedule.findUniqueOrThrow({ where: { id: office.id } });
    expect(stored).toMatchObject({ organizationId: c.organizationId, payerId: c.payer.id, modifier: "", allowedAmount: 8_500 });
  });

  it("refuses a malformed code, modifier or amount with a message under each field, saving nothing", async () => {
    const c = await clinicWithPayer();
    const refused = await refusal(upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "9921", modifier: "2", allowedAmount: "0" } }));
    expect(refused.code).toBe("VALIDATION_FAILED");
    expect(refused.fields).toEqual({
      procedureCode: ["A procedure code has 5 letters or digits, such as 99213 or G0439."],
      modifier: ["A modifier has 2 letters or digits, such as 25; leave it empty for any modifier."],
      allowedAmount: [expect.stringContaining("more than $0 and at most $1,000,000.00")],
    });
    const more = await refusal(upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "", modifier: "2-", allowedAmount: "1000000.01" } }));
    expect(Object.keys(more.fields ?? {}).sort()).toEqual(["allowedAmount", "modifier", "procedureCode"]);
    expect(more.fields?.procedureCode).toEqual(["Enter the procedure code (CPT or HCPCS), such as 99213."]);
    for (const allowedAmount of ["12.345", "-5", "abc", "", "1000000.01"]) {
      const bad = await refusal(upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "99213", allowedAmount } }));
      expect(Object.keys(bad.fields ?? {}), allowedAmount).toEqual(["allowedAmount"]);
    }
    expect(await upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "99213", allowedAmount: "$1,000,000.00" } })).toMatchObject({
      allowedAmount: 100_000_000,
    });
    expect(await listPayerFeeSchedule(database.db, { organizationId: c.organizationId, payerId: c.payer.id })).toHaveLength(1);
  });

  it("saving a code and modifier again replaces its amount (one entry), audited with before and after; the same amount again records nothing", async () => {
    const c = await clinicWithPayer();
    const first = await upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "99214", modifier: "25", allowedAmount: "120.00" } });
    const second = await upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "99214", modifier: "25", allowedAmount: "131.40" } });
    const again = await upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "99214", modifier: "25", allowedAmount: "131.4" } });
    expect(second).toMatchObject({ id: first.id, allowedAmount: 13_140, created: false });
    expect(again).toMatchObject({ id: first.id, allowedAmount: 13_140, created: false });
    // Another modifier (and none) are entries of their own.
    await upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "99214", allowedAmount: "110.00" } });
    expect((await listPayerFeeSchedule(database.db, c.options)).map((fee) => [fee.modifier, fee.allowedAmount])).toEqual([
      [null, 11_000],
      ["25", 13_140],
    ]);

    const events = await auditEvents(c.organizationId);
    const fields = { payerId: c.payer.id, procedureCode: "99214", modifier: "25" };
    expect(events.slice(0, 2)).toEqual([
      { action: "payer_fee.created", targetType: "payer_fee", targetId: first.id, before: null, after: { ...fields, allowedAmount: 12_000 } },
      {
        action: "payer_fee.updated",
        targetType: "payer_fee",
        targetId: first.id,
        before: { ...fields, allowedAmount: 12_000 },
        after: { ...fields, allowedAmount: 13_140 },
      },
    ]);
    expect(events.map((event) => event.action)).toEqual(["payer_fee.created", "payer_fee.updated", "payer_fee.created"]);
  });

  it("deletes one entry, audited; an entry already gone is NOT_FOUND", async () => {
    const c = await clinicWithPayer();
    const kept = await upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "99213", allowedAmount: "85.00" } });
    const gone = await upsertPayerFee(database.db, { ...c.options, input: { procedureCode: "36415", allowedAmount: "3.00" } });
    await deletePayerFee(database.db, { ...c.options, feeId: gone.id });
    expect((await listPayerFeeSchedule(database.db, c.options)).map((fee) => fee.id)).toEqual([kept.id]);
    expect((await auditEvents(c.organizationId)).at(-1)).toEqual({
      action: "payer_fee.deleted",
      targetType: "payer_fee",
      targetId: gone.id,
      before: { payerId: c.payer.id, procedureCode: "36415", modifier: "", allowedAmount: 300 },
      after: null,
    });
    expect(await refusal(deletePayerFee(database.db, { ...c.options, feeId: gone.id }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("another clinic's payer and entries are NOT_FOUND: nothing listed, saved or deleted across clinics", async () => {
    const mine = await clinicWithPayer();
    const theirs = await clinicWithPayer();
    const theirFee = await upsertPayerFee(database.db, { ...theirs.options, input: { procedureCode: "99213", allowedAmount: "70.00" } });
    const asMine = { organizationId: mine.organizationId, actor: mine.adminActor, payerId: theirs.payer.id };

    expect(await refusal(listPayerFeeSchedule(database.db, asMine))).toMatchObject({ code: "NOT_FOUND", message: "That payer does not exist." });
    expect(await refusal(upsertPayerFee(database.db, { ...asMine, input: { procedureCode: "99213", allowedAmount: "1.00" } }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await refusal(deletePayerFee(database.db, { ...asMine, feeId: theirFee.id }))).toMatchObject({ code: "NOT_FOUND" });
    // Their entry named under my own payer is not mine either.
    expect(await refusal(deletePayerFee(database.db, { ...mine.options, feeId: theirFee.id }))).toMatchObject({ code: "NOT_FOUND" });

    expect(await listPayerFeeSchedule(database.db, theirs.options)).toEqual([expect.objectContaining({ id: theirFee.id, allowedAmount: 7_000 })]);
    expect(await listPayerFeeSchedule(database.db, mine.options)).toEqual([]);
    expect(await auditEvents(mine.organizationId)).toEqual([]);
  });
});
