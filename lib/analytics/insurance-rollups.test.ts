import pg from "pg";
import { describe, expect, it } from "vitest";
import { markClaimAccepted, markClaimRejected } from "@/lib/claims/acknowledgments";
import { createCorrectedClaim, createVoidClaim } from "@/lib/claims/correct-claim";
import { updateDraftClaim } from "@/lib/claims/edit-claim";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { sql, sqlOf } from "@/lib/db/sql";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { writeOffDenial } from "@/lib/remittances/denials";
import { testActor } from "@/tests/factories";
import { createTest277File, createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { partlyPaidTest835Claim, deniedTest835Claim, importTest835, submitTestClaim, usualTest835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";
import { resolveAnalyticsPeriod, type TAnalyticsQuery } from "./analytics-period";
import { claimFactsSql, dailyContributionsSql, daysToPayContributionsSql } from "./claim-report-facts";
import { getInsuranceReport, medianOfHistogram, wholeMonths } from "./insurance-figures";
import { refreshClaimRollups } from "./refresh-claim-rollups";

const database = setupTestDatabase();
const ackActor = testActor(null, "clearinghouse file ack.277");
const SERVICE_DATE = addDays(todayIn("America/New_York"), -20);

type Clinic = TestBillingClinic & { fileId: string };

async function clinic(timezone: string): Promise<Clinic> {
  const c = await createTestBillingClinic(database.db);
  await database.db.organization.update({ where: { id: c.organizationId }, data: { timezone } });
  const file = await createTest277File(database.db, { organizationId: c.organizationId });
  return { ...c, fileId: file.id };
}

const q = <T>(statement: ReturnType<typeof sql>) => sqlOf(database.db).query<T>(statement);

const denial = (number: string) => deniedTest835Claim(number, SERVICE_DATE);
const partialPayment = (number: string) => partlyPaidTest835Claim(number, SERVICE_DATE);
const paid = (number: string) => usualTest835Claim(number, SERVICE_DATE);
const reversal = (number: string) => usualTest835Claim(number, SERVICE_DATE, -1);

async function submitClaim(c: Clinic) {
  return (await submitTestClaim(database.db, c, SERVICE_DATE)).claim;
}

async function acknowledge(c: Clinic, claimId: string, outcome: "accepted" | "rejected") {
  await database.db.$transaction((tx) =>
    outcome === "accepted"
      ? markClaimAccepted(tx, { organizationId: c.organizationId, claimId, actor: ackActor, payerClaimNumber: "PCN1", fileId: c.fileId })
      : markClaimRejected(tx, {
          organizationId: c.organizationId,
          claimId,
          actor: ackActor,
          reasons: [{ source: "277CA", message: "Procedure code not covered." }],
          fileId: c.fileId,
          source: "277CA",
        }),
  );
}

async function validateAndSubmit(c: Clinic, claimId: string) {
  const { problems } = await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId });
  expect(problems).toEqual([]);
  await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [claimId], channel: "download" });
}

/** A rejected claim edited to one line of `chargeAmount` and sent again (its submitted_at and total move). */
async function resubmitWithTotal(c: Clinic, claimId: string, chargeAmount: number) {
  await updateDraftClaim(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    claimId,
    input: { lines: [{ procedureCode: "99214", modifiers: [], units: 1, chargeAmount, diagnosisPointers: [1], serviceDate: SERVICE_DATE }] },
  });
  await validateAndSubmit(c, claimId);
}

/** A correction (frequency 7) or void (8) of the claim, submitted and accepted (which closes the original). */
async function replace(c: Clinic, claimId: string, kind: "correct" | "void") {
  const options = { organizationId: c.organizationId, actor: c.actor, claimId };
  const replacement = kind === "correct" ? await createCorrectedClaim(database.db, options) : await createVoidClaim(database.db, options);
  await validateAndSubmit(c, replacement.id);
  return replacement;
}

/** Moves a claim's submission `days` back and to `hour`:`minute` UTC (the clinic's day then depends on its time zone). */
async function submittedAt(claimId: string, days: number, hour: number, minute = 0) {
  await database.db.$executeRaw`
    UPDATE claims SET submitted_at = date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => ${days}::int) + make_interval(hours => ${hour}::int, mins => ${minute}::int)
    WHERE id = ${claimId}::uuid`;
}

/** Moves a claim's posted payments (all of them, or the first posted one) to `days` back at `hour` UTC. */
async function postedAt(claimId: string, days: number, hour: number) {
  await database.db.$executeRaw`
    UPDATE remittance_claims SET posted_at = date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => ${days}::int) + make_interval(hours => ${hour}::int)
    WHERE claim_id = ${claimId}::uuid AND posted_at IS NOT NULL`;
}

async function dirtyClaims(organizationId: string): Promise<string[]> {
  const rows = await q<{ id: string }>(sql`SELECT claim_id::text AS id FROM claim_rollup_dirty WHERE organization_id = ${organizationId}::uuid ORDER BY 1`);
  return rows.map((row) => row.id);
}

/** The insurance report read both ways for periods of every shape, each single day of the last three weeks among them: equal. */
async function expectSameReports(organizationId: string, label: string) {
  const organization = await database.db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true, currency: true } });
  const now = new Date();
  const today = todayIn(organization.timezone, now);
  const queries: TAnalyticsQuery[] = [
    { preset: "this_month" },
    { preset: "last_month" },
    { preset: "last_30_days" },
    { preset: "last_90_days" },
    { preset: "year_to_date" },
    { from: addDays(today, -364), to: today },
    ...Array.from({ length: 22 }, (_, index) => ({ from: addDays(today, -index), to: addDays(today, -index) })),
  ];
  for (const query of queries) {
    const period = resolveAnalyticsPeriod(query, organization, now);
    const fromClaims = await getInsuranceReport(database.db, { organizationId, period, now, source: "claims" });
    const fromRollups = await getInsuranceReport(database.db, { organizationId, period, now, source: "rollups" });
    expect(fromRollups, `${label}: ${JSON.stringify(query)}`).toEqual(fromClaims);
  }
}

/** After a refresh: nothing dirty, and every rollup row equal to the facts of every claim computed afresh (the rollups are in the clinic's time zone). */
async function expectRollupsExact(organizationId: string, label: string) {
  expect(await dirtyClaims(organizationId), label).toEqual([]);
  const [organization] = await q<{ timezone: string; state: string | null }>(sql`
    SELECT o.timezone, s.timezone AS state FROM organizations o LEFT JOIN claim_rollup_state s ON s.organization_id = o.id WHERE o.id = ${organizationId}::uuid`);
  expect(organization!.state, label).toBe(organization!.timezone);
  const facts = sql`(${claimFactsSql({ timezone: organization!.timezone, where: sql`c.organization_id = ${organizationId}::uuid` })})`;
  const factColumns = sql`claim_id::text, payer_id::text, cohort_day::text, charge, first_denied, ar_day::text, open_balance, paid_day::text, days_to_pay`;
  expect(await q(sql`SELECT ${factColumns} FROM claim_report_facts WHERE organization_id = ${organizationId}::uuid ORDER BY claim_id`), label).toEqual(
    await q(sql`SELECT ${factColumns} FROM ${facts} f ORDER BY claim_id`),
  );
  expect(
    await q(sql`
      SELECT payer_id::text, day::text, submitted, submitted_charge::text, denied, denied_charge::text, open_claims, open_balance::text
      FROM claim_daily_totals WHERE organization_id = ${organizationId}::uuid ORDER BY 1, 2`),
    label,
  ).toEqual(
    await q(sql`
      SELECT payer_id::text, day::text, SUM(submitted)::int AS submitted, SUM(submitted_charge)::text AS submitted_charge, SUM(denied)::int AS denied,
             SUM(denied_charge)::text AS denied_charge, SUM(open_claims)::int AS open_claims, SUM(open_balance)::text AS open_balance
      FROM (${dailyContributionsSql(facts)}) x GROUP BY 1, 2 ORDER BY 1, 2`),
  );
  expect(
    await q(sql`SELECT payer_id::text, day::text, days_to_pay, claims FROM claim_days_to_pay WHERE organization_id = ${organizationId}::uuid ORDER BY 1, 2, 3`),
    label,
  ).toEqual(
    await q(
      sql`SELECT payer_id::text, day::text, days_to_pay, SUM(claims)::int AS claims FROM (${daysToPayContributionsSql(facts)}) x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ),
  );
  expect(
    await q(
      sql`SELECT payer_id::text, month::text, days_to_pay, claims FROM claim_days_to_pay_monthly WHERE organization_id = ${organizationId}::uuid ORDER BY 1, 2, 3`,
    ),
    label,
  ).toEqual(
    await q(sql`
      SELECT payer_id::text, date_trunc('month', day)::date::text AS month, days_to_pay, SUM(claims)::int AS claims
      FROM (${daysToPayContributionsSql(facts)}) x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
  );
}

/**
 * After a change to `claimIds`: they are marked dirty; the report from the rollups (plus the dirty
 * claims live) equals the one from the claims; after a refresh nothing is dirty, the rollups are
 * exact and the reports still equal.
 */
async function expectRightAfter(c: Clinic, label: string, claimIds: string[]) {
  const dirty = await dirtyClaims(c.organizationId);
  for (const id of claimIds) expect(dirty, `${label}: marked dirty`).toContain(id);
  await expectSameReports(c.organizationId, `${label} (before the refresh)`);
  await refreshClaimRollups(database.db, { organizationId: c.organizationId });
  await expectRollupsExact(c.organizationId, label);
  await expectSameReports(c.organizationId, `${label} (after the refresh)`);
}

describe("insurance rollups (refresh-claim-rollups.ts) give the claims' own figures", () => {
  it("wholeMonths: the whole calendar months of a range", () => {
    expect(wholeMonths({ from: "2025-12-07", to: "2026-12-06" })).toEqual({ start: "2026-01-01", end: "2026-12-01" });
    expect(wholeMonths({ from: "2026-02-01", to: "2026-02-28" })).toEqual({ start: "2026-02-01", end: "2026-03-01" });
    expect(wholeMonths({ from: "2026-01-31", to: "2026-03-30" })).toEqual({ start: "2026-02-01", end: "2026-03-01" });
    expect(wholeMonths({ from: "2026-03-02", to: "2026-03-31" })).toEqual({ start: "2026-03-02", end: "2026-03-02" });
    expect(wholeMonths({ from: "2026-12-01", to: "2026-12-06" })).toEqual({ start: "2026-12-01", end: "2026-12-01" });
  });

  it("medianOfHistogram is percentile_cont(0.5)", () => {
    expect(medianOfHistogram([], [])).toBeNull();
    expect(medianOfHistogram([7], [1])).toBe(7);
    expect(medianOfHistogram([3, 10], [1, 1])).toBe(6.5);
    expect(medianOfHistogram([-2, 4, 9], [2, 1, 3])).toBe(6.5);
    expect(medianOfHistogram([1, 2, 30], [1, 3, 1])).toBe(2);
  });

  it("stay right after each event that changes them: submitted, rejected and resubmitted, paid, denied, reversed and paid again, written off, voided, corrected", async () => {
    const c = await clinic("America/Los_Angeles");
    const first = await refreshClaimRollups(database.db, { organizationId: c.organizationId });
    expect(first).toEqual([{ organizationId: c.organizationId, rebuilt: true, claims: 0 }]);

    const a = await submitClaim(c);
    await expectRightAfter(c, "claim submitted", [a.id]);

    const b = await submitClaim(c);
    await acknowledge(c, b.id, "rejected");
    await expectRightAfter(c, "claim rejected", [b.id]);
    await submittedAt(b.id, 9, 7, 30);
    await resubmitWithTotal(c, b.id, 21_000);
    await expectRightAfter(c, "claim resubmitted with another total", [b.id]);

    await importTest835(database.db, c, [paid(a.displayNumber)]);
    await expectRightAfter(c, "remittance posted (paid)", [a.id]);
    await importTest835(database.db, c, [denial(b.displayNumber)]);
    await expectRightAfter(c, "remittance posted (denied)", [b.id]);

    await submittedAt(a.id, 15, 6);
    await postedAt(a.id, 2, 7);
    await expectRightAfter(c, "submission and payment moved across the clinic's midnight", [a.id]);

    await importTest835(database.db, c, [reversal(a.displayNumber)]);
    await expectRightAfter(c, "payment reversed", [a.id]);
    await importTest835(database.db, c, [paid(a.displayNumber)]);
    await expectRightAfter(c, "paid again after the reversal", [a.id]);

    await writeOffDenial(database.db, { organizationId: c.organizationId, claimId: b.id, reason: "Filed too late.", actor: c.actor });
    await expectRightAfter(c, "denial written off", [b.id]);

    const d = await submitClaim(c);
    await importTest835(database.db, c, [paid(d.displayNumber)]);
    await refreshClaimRollups(database.db, { organizationId: c.organizationId });
    const voiding = await replace(c, d.id, "void");
    // The paid claim owes nothing: the void moves no balance off it, only the void itself changes.
    await expectRightAfter(c, "void submitted", [voiding.id]);
    await acknowledge(c, voiding.id, "accepted");
    await expectRightAfter(c, "void accepted (original closed)", [d.id, voiding.id]);

    const e = await submitClaim(c);
    await importTest835(database.db, c, [partialPayment(e.displayNumber)]);
    await refreshClaimRollups(database.db, { organizationId: c.organizationId });
    const correction = await replace(c, e.id, "correct");
    await expectRightAfter(c, "correction submitted (balance moved to it)", [e.id, correction.id]);
    await acknowledge(c, correction.id, "accepted");
    await importTest835(database.db, c, [paid(correction.displayNumber)]);
    await expectRightAfter(c, "correction accepted and paid", [e.id, correction.id]);
  });

  it("a varied dataset in three time zones, read before any refresh, after it, and across a time zone change", async () => {
    const clinics = await Promise.all([clinic("Asia/Kolkata"), clinic("Pacific/Auckland"), clinic("America/New_York")]);
    for (const c of clinics) await refreshClaimRollups(database.db, { organizationId: c.organizationId });
    for (const [index, c] of clinics.entries()) {
      const claims = [];
      for (let i = 0; i < 9; i++) claims.push(await submitClaim(c));
      const [p1, p2, p3, d1, d2, part, rev, open, rej] = claims as [(typeof claims)[number], ...(typeof claims)[number][]];
      await importTest835(database.db, c, [paid(p1!.displayNumber), paid(p2!.displayNumber), denial(d1!.displayNumber), partialPayment(part!.displayNumber)]);
      await importTest835(database.db, c, [paid(p3!.displayNumber), denial(d2!.displayNumber), paid(rev!.displayNumber)]);
      await importTest835(database.db, c, [reversal(rev!.displayNumber)]);
      await acknowledge(c, rej!.id, "rejected");
      // Submissions and payments spread over days and hours (UTC), so that the clinics' days differ.
      const spread: [string, number, number, number | null][] = [
        [p1!.id, 40, 23, 3],
        [p2!.id, 12, 1, 12],
        [p3!.id, 12, 11, 4],
        [d1!.id, 35, 18, null],
        [d2!.id, 3, 12, null],
        [part!.id, 8, 5, 2],
        [rev!.id, 5, 20, 1],
        [open!.id, 95 + index, 10, null],
        [rej!.id, 130, 2, null],
      ];
      for (const [id, days, hour, paidDaysAgo] of spread) {
        await submittedAt(id, days, hour, index * 17);
        if (paidDaysAgo !== null) await postedAt(id, paidDaysAgo, (hour + 13) % 24);
      }
      await writeOffDenial(database.db, { organizationId: c.organizationId, claimId: d2!.id, reason: "Not worth an appeal.", actor: c.actor });
      await importTest835(database.db, c, [paid(rev!.displayNumber)]);
      await replace(c, d1!.id, "correct");
    }
    for (const c of clinics) {
      expect((await dirtyClaims(c.organizationId)).length).toBeGreaterThan(8);
      await expectSameReports(c.organizationId, "every claim dirty");
      await refreshClaimRollups(database.db, { organizationId: c.organizationId });
      await expectRollupsExact(c.organizationId, "refreshed");
      await expectSameReports(c.organizationId, "refreshed");
    }

    // The figures compared are not empty, and the rollups are what the report reads: a rollup row
    // changed by hand changes the report (and nothing else does).
    const sample = clinics[2]!;
    const organization = await database.db.organization.findUniqueOrThrow({ where: { id: sample.organizationId }, select: { timezone: true, currency: true } });
    const now = new Date();
    const period = resolveAnalyticsPeriod(
      { from: addDays(todayIn(organization.timezone, now), -364), to: todayIn(organization.timezone, now) },
      organization,
      now,
    );
    const read = () => getInsuranceReport(database.db, { organizationId: sample.organizationId, period, now });
    const before = await read();
    expect(before.denials.initiallyDenied.count.current).toBeGreaterThan(0);
    expect(before.daysToPay.overall.claims).toBeGreaterThan(3);
    expect(before.receivables.total.count).toBeGreaterThan(2);
    const org = sql`organization_id = ${sample.organizationId}::uuid`;
    await database.db
      .$executeRaw`UPDATE claim_daily_totals SET submitted = submitted + 1, open_claims = open_claims + 1 WHERE organization_id = ${sample.organizationId}::uuid`;
    await database.db.$executeRaw`UPDATE claim_days_to_pay SET claims = claims + 1 WHERE organization_id = ${sample.organizationId}::uuid`;
    const monthlyRows = await database.db
      .$executeRaw`UPDATE claim_days_to_pay_monthly SET claims = claims + 1 WHERE organization_id = ${sample.organizationId}::uuid`;
    expect(monthlyRows).toBeGreaterThan(0);
    const tampered = await read();
    expect(tampered.denials.submitted.count.current).toBeGreaterThan(before.denials.submitted.count.current);
    expect(tampered.receivables.total.count).toBeGreaterThan(before.receivables.total.count);
    expect(tampered.daysToPay.overall.claims).toBeGreaterThan(before.daysToPay.overall.claims);
    await database.db
      .$executeRaw`UPDATE claim_daily_totals SET submitted = submitted - 1, open_claims = open_claims - 1 WHERE organization_id = ${sample.organizationId}::uuid`;
    await database.db.$executeRaw`UPDATE claim_days_to_pay SET claims = claims - 1 WHERE organization_id = ${sample.organizationId}::uuid`;
    await database.db.$executeRaw`UPDATE claim_days_to_pay_monthly SET claims = claims - 1 WHERE organization_id = ${sample.organizationId}::uuid`;
    expect(await read()).toEqual(before);
    expect(await q(sql`SELECT count(*)::int AS n FROM claim_report_facts WHERE ${org}`)).toEqual([{ n: 10 }]);

    // A clinic that moves to another time zone: reports read the claims until the rollups are rebuilt in it.
    const moved = clinics[0]!;
    await database.db.organization.update({ where: { id: moved.organizationId }, data: { timezone: "America/Denver" } });
    await expectSameReports(moved.organizationId, "time zone changed");
    const [refresh] = await refreshClaimRollups(database.db, { organizationId: moved.organizationId });
    expect(refresh?.rebuilt).toBe(true);
    await expectRollupsExact(moved.organizationId, "rebuilt in the new time zone");
    await expectSameReports(moved.organizationId, "rebuilt in the new time zone");
  });

  it("a transaction still changing a claim keeps its mark: the refresh skips it without waiting, and folds it in once committed", async () => {
    const c = await clinic("America/Chicago");
    const claim = await submitClaim(c);
    await refreshClaimRollups(database.db, { organizationId: c.organizationId });
    const writer = new pg.Client({ connectionString: database.url });
    await writer.connect();
    try {
      await writer.query("BEGIN");
      await writer.query("UPDATE claims SET submitted_at = submitted_at - interval '40 days' WHERE id = $1", [claim.id]);
      // The writer holds the claim's dirty row: the refresh leaves it (and does not wait for it).
      const [during] = await refreshClaimRollups(database.db, { organizationId: c.organizationId, lockTimeoutMs: 5_000 });
      expect(during?.claims).toBe(0);
      await expectSameReports(c.organizationId, "change not committed yet");
      await writer.query("COMMIT");
    } finally {
      await writer.end();
    }
    expect(await dirtyClaims(c.organizationId)).toEqual([claim.id]);
    await expectSameReports(c.organizationId, "committed, not refreshed");
    await refreshClaimRollups(database.db, { organizationId: c.organizationId });
    await expectRollupsExact(c.organizationId, "refreshed after the commit");
    await expectSameReports(c.organizationId, "refreshed after the commit");
  });
});
