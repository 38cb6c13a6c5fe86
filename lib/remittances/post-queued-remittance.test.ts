import pino from "pino";
import type PgBoss from "pg-boss";
import { afterEach, describe, expect, it } from "vitest";
import { importClearinghouseFile } from "@/lib/clearinghouse/import-file";
import { inTransaction } from "@/lib/db/in-transaction";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { createBoss } from "@/lib/jobs/boss";
import { BACKGROUND_POSTING_ACTOR, enqueueRemittancePosting, runPostRemittancesJob, startPostRemittancesJob } from "@/lib/jobs/post-remittances-job";
import { checkLedger, getTrialBalance } from "@/lib/ledger/balances";
import { BILLING_NPI, createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { build835, submitTestClaim, usualTest835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";
import { getRemittancePostingOrThrow } from "./list-remittances";
import { postClaimPayment } from "./post-claim-payment";
import { postRemittance } from "./post-remittance";
import { postQueuedRemittance } from "./post-queued-remittance";

const database = setupTestDatabase();
const log = pino({ level: "silent" });
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);
const CLEAN_LEDGER = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };
/** Below the 4 claim payments of these files: each goes to the background job (the real limit, 50, would need 51 claims per test). */
const SMALL_LIMIT = 3;
const CLAIMS = 4;
let nextInterchange = 9_100;
let nextTrace = 990_000;
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A clinic with `count` accepted claims (tests/remittance-files.ts submitTestClaim: 175.00 each). */
async function clinicWithClaims(count = CLAIMS) {
  const c = await createTestBillingClinic(database.db);
  const claims = [];
  for (let index = 0; index < count; index++) claims.push((await submitTestClaim(database.db, c, SERVICE_DATE)).claim);
  await database.db.$executeRaw`UPDATE claims SET status = 'accepted' WHERE organization_id = ${c.organizationId}::uuid`;
  return { c, claims };
}

/** The usual adjudication of each claim (usualTest835Claim), with a PLB when asked, through the real import. */
async function importFile(
  c: TestBillingClinic,
  claims: { displayNumber: string }[],
  options: { inlinePostingLimit?: number; providerAdjustments?: { reason: string; amount: number }[] } = {},
) {
  const handedOff: { organizationId: string; remittanceIds: string[] }[] = [];
  const interchange = nextInterchange++;
  const result = await importClearinghouseFile(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    fileName: `remit-${interchange}.835`,
    content: build835({
      submitterId: c.submitterId,
      interchangeControlNumber: interchange,
      payerId: c.payer.payerId,
      trace: `EFT${nextTrace++}`,
      payeeNpi: BILLING_NPI,
      claims: claims.map((claim) => usualTest835Claim(claim.displayNumber, SERVICE_DATE)),
      providerAdjustments: options.providerAdjustments,
    }),
    source: "upload",
    inlinePostingLimit: options.inlinePostingLimit,
    requestPosting: async ({ organizationId, remittanceIds }) => void handedOff.push({ organizationId, remittanceIds }),
  });
  const remittance = await database.db.remittance.findFirstOrThrow({ where: { clearinghouseFileId: result.fileId }, select: { id: true } });
  return { result, handedOff, remittanceId: remittance.id };
}

/**
 * Everything posting writes for a clinic, without ids or times, so that two clinics posted the
 * same way compare equal: journals (kind and lines), claims, share invoices, the trial balance,
 * the claim payments' statuses and the coverage's accumulators.
 */
async function postedState(organizationId: string) {
  const db = database.db;
  const entries = await db.journalEntry.findMany({
    where: { organizationId },
    select: { kind: true, lines: { select: { amount: true, account: { select: { code: true } } } } },
  });
  const claims = await db.claim.findMany({
    where: { organizationId },
    orderBy: { number: "asc" },
    select: { number: true, status: true, insuranceBalance: true, insurancePaid: true, contractualAdjusted: true, patientResponsibility: true },
  });
  const invoices = await db.invoice.findMany({
    where: { organizationId },
    orderBy: { number: "asc" },
    select: { status: true, total: true, amountDue: true, lines: { orderBy: { position: "asc" }, select: { description: true, unitAmount: true } } },
  });
  const payments = await db.remittanceClaim.findMany({ where: { organizationId }, orderBy: { position: "asc" }, select: { position: true, status: true } });
  const coverage = await db.coverage.findFirstOrThrow({
    where: { organizationId },
    select: { deductibleIndividualMet: true, outOfPocketMaxIndividualMet: true },
  });
  return {
    journals: entries
      .map(
        (entry) =>
          `${entry.kind}: ${entry.lines
            .map((line) => `${line.account.code} ${line.amount}`)
            .sort()
            .join(", ")}`,
      )
      .sort(),
    claims,
    invoices,
    payments,
    coverage,
    trialBalance: (await getTrialBalance(db, organizationId)).map((row) => [row.code, row.balance]),
  };
}

/** Each claim payment's `remittance.claim_paid` journals: exactly one each when nothing was posted twice. */
async function claimPaidJournalsPerPayment(remittanceId: string): Promise<number[]> {
  const payments = await database.db.remittanceClaim.findMany({ where: { remittanceId }, orderBy: { position: "asc" }, select: { id: true } });
  const journals = await database.db.journalEntry.groupBy({
    by: ["sourceId"],
    where: { kind: "remittance.claim_paid", sourceType: "remittance_claim", sourceId: { in: payments.map((payment) => payment.id) } },
    _count: { _all: true },
  });
  return payments.map((payment) => journals.find((row) => row.sourceId === payment.id)?._count._all ?? 0);
}

const fileSummary = async (remittanceId: string) =>
  (
    await database.db.remittance.findUniqueOrThrow({
      where: { id: remittanceId },
      select: { clearinghouseFile: { select: { summary: true } } },
    })
  ).clearinghouseFile.summary as { message: string }[];

describe("posting a large 835 in the background", () => {
  it("the import stores it and returns with nothing posted; the job then posts it exactly as the import posts a small one, and says so in the file's summary", async () => {
    const inline = await clinicWithClaims();
    const background = await clinicWithClaims();

    const small = await importFile(inline.c, inline.claims);
    expect(small.result.postingInBackground).toEqual([]);
    expect(small.handedOff).toEqual([]);

    const large = await importFile(background.c, background.claims, { inlinePostingLimit: SMALL_LIMIT });
    // Returned once stored: handed to the job, nothing posted, the summary says where to follow it.
    expect(large.result.postingInBackground).toEqual([{ remittanceId: large.remittanceId, claimPayments: CLAIMS }]);
    expect(large.handedOff).toEqual([{ organizationId: background.c.organizationId, remittanceIds: [large.remittanceId] }]);
    expect(large.result.summary.at(-1)?.message).toMatch(
      /^Payment EFT\d+: 4 claim payments are being posted in the background \(a file with more than 3 is not posted while you wait\); the payment's page under Claims → Remittances shows how far it has got\.$/,
    );
    expect(await claimPaidJournalsPerPayment(large.remittanceId)).toEqual([0, 0, 0, 0]);
    expect((await postedState(background.c.organizationId)).payments.map((payment) => payment.status)).toEqual(["matched", "matched", "matched", "matched"]);
    const organizationId = background.c.organizationId;
    expect(await getRemittancePostingOrThrow(database.db, { organizationId, remittanceId: large.remittanceId })).toEqual({
      inBackground: true,
      finished: false,
      total: 4,
      waiting: 4,
      posted: 0,
      duplicate: 0,
      held: 0,
    });

    await runPostRemittancesJob({ db: database.db, log }, { organizationId, remittanceId: large.remittanceId, actor: background.c.actor });

    const [expected, actual] = [await postedState(inline.c.organizationId), await postedState(organizationId)];
    expect(actual.journals).toHaveLength(12); // per claim: the charge, the payment, the share invoice
    expect(actual).toEqual(expected);
    expect(await claimPaidJournalsPerPayment(large.remittanceId)).toEqual([1, 1, 1, 1]);
    expect(await getRemittancePostingOrThrow(database.db, { organizationId, remittanceId: large.remittanceId })).toEqual({
      inBackground: true,
      finished: true,
      total: 4,
      waiting: 0,
      posted: 4,
      duplicate: 0,
      held: 0,
    });
    expect((await database.db.remittance.findUniqueOrThrow({ where: { id: large.remittanceId } })).status).toBe("posted");
    expect((await fileSummary(large.remittanceId)).at(-1)?.message).toMatch(/^Payment EFT\d+: posting finished in the background: 4 claim payments posted\.$/);
    // The uploader is the actor of what the job posted.
    const audits = await database.db.auditEvent.findMany({ where: { organizationId, action: { startsWith: "remittance." } }, select: { actorLabel: true } });
    expect(audits.length).toBeGreaterThan(0);
    expect(new Set(audits.map((audit) => audit.actorLabel))).toEqual(new Set([background.c.actor.label]));
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("after a worker died halfway, the next run posts only what is left; a run after that changes nothing", async () => {
    const inline = await clinicWithClaims();
    const background = await clinicWithClaims();
    await importFile(inline.c, inline.claims);
    const { remittanceId } = await importFile(background.c, background.claims, { inlinePostingLimit: SMALL_LIMIT });
    const organizationId = background.c.organizationId;

    // What a worker that died after two claim payments left: those two committed, the rest matched.
    const payments = await database.db.remittanceClaim.findMany({ where: { remittanceId }, orderBy: { position: "asc" }, select: { id: true } });
    for (const payment of payments.slice(0, 2)) {
      await inTransaction(database.db, (tx) =>
        postClaimPayment(tx, { organizationId, remittanceClaimId: payment.id, actor: background.c.actor, now: new Date() }),
      );
    }
    expect(await getRemittancePostingOrThrow(database.db, { organizationId, remittanceId })).toMatchObject({
      finished: false,
      total: 4,
      waiting: 2,
      posted: 2,
    });

    expect(await postQueuedRemittance(database.db, { organizationId, remittanceId, actor: background.c.actor })).toEqual({ finished: true });
    expect(await claimPaidJournalsPerPayment(remittanceId)).toEqual([1, 1, 1, 1]);
    expect(await postedState(organizationId)).toEqual(await postedState(inline.c.organizationId));

    const after = await postedState(organizationId);
    const summary = await fileSummary(remittanceId);
    expect(await postQueuedRemittance(database.db, { organizationId, remittanceId, actor: background.c.actor })).toEqual({ finished: true });
    await postRemittance(database.db, { organizationId, remittanceId, actor: background.c.actor });
    expect(await postedState(organizationId)).toEqual(after);
    expect(await fileSummary(remittanceId)).toEqual(summary);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("runs at once (the job, its sweep, the import's own posting) post each claim payment and the PLB once, and finish once", async () => {
    const background = await clinicWithClaims();
    const plb = [{ reason: "L6", amount: -150 }];
    const { remittanceId } = await importFile(background.c, background.claims, { inlinePostingLimit: SMALL_LIMIT, providerAdjustments: plb });
    const organizationId = background.c.organizationId;
    const actor = background.c.actor;

    await Promise.all([
      postQueuedRemittance(database.db, { organizationId, remittanceId, actor }),
      postQueuedRemittance(database.db, { organizationId, remittanceId, actor }),
      runPostRemittancesJob({ db: database.db, log }, { organizationId, remittanceId, actor }),
      postRemittance(database.db, { organizationId, remittanceId, actor }),
    ]);

    expect(await claimPaidJournalsPerPayment(remittanceId)).toEqual([1, 1, 1, 1]);
    expect(await database.db.journalEntry.count({ where: { organizationId, kind: "remittance.provider_adjusted" } })).toBe(1);
    expect(await database.db.invoice.count({ where: { organizationId } })).toBe(CLAIMS);
    const statuses = await database.db.remittanceClaim.findMany({ where: { remittanceId }, select: { status: true } });
    expect(statuses.map((row) => row.status)).toEqual(["posted", "posted", "posted", "posted"]);
    const finishedLines = (await fileSummary(remittanceId)).filter((line) => line.message.includes("posting finished in the background"));
    expect(finishedLines).toHaveLength(1);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("the sweep posts a queued remittance whose hand-off was lost, once it has waited two minutes, as Carebill", async () => {
    const background = await clinicWithClaims(CLAIMS);
    const { remittanceId } = await importFile(background.c, background.claims, { inlinePostingLimit: SMALL_LIMIT });
    const organizationId = background.c.organizationId;

    await runPostRemittancesJob({ db: database.db, log, now: addSeconds(new Date(), 60) }, null);
    expect(await claimPaidJournalsPerPayment(remittanceId)).toEqual([0, 0, 0, 0]);

    await runPostRemittancesJob({ db: database.db, log, now: addSeconds(new Date(), 180) }, null);
    expect(await claimPaidJournalsPerPayment(remittanceId)).toEqual([1, 1, 1, 1]);
    expect(await getRemittancePostingOrThrow(database.db, { organizationId, remittanceId })).toMatchObject({ finished: true, posted: 4 });
    const audits = await database.db.auditEvent.findMany({ where: { organizationId, action: { startsWith: "remittance." } }, select: { actorLabel: true } });
    expect(new Set(audits.map((audit) => audit.actorLabel))).toEqual(new Set([BACKGROUND_POSTING_ACTOR.label]));
  });

  it("what cannot be posted is held as in the import, and the outcome says how many; a job whose data it cannot read is skipped", async () => {
    const background = await clinicWithClaims(CLAIMS);
    const { remittanceId } = await importFile(background.c, background.claims, { inlinePostingLimit: SMALL_LIMIT });
    const organizationId = background.c.organizationId;
    // Closed while the payment waited for the job: posting refuses it (held with the reason), the others post.
    await database.db.$executeRaw`UPDATE claims SET status = 'closed' WHERE id = ${background.claims[1]!.id}::uuid`;

    await runPostRemittancesJob({ db: database.db, log }, { organizationId, remittanceId: "not-an-id", actor: background.c.actor });
    expect(await claimPaidJournalsPerPayment(remittanceId)).toEqual([0, 0, 0, 0]);

    await runPostRemittancesJob({ db: database.db, log }, { organizationId, remittanceId, actor: background.c.actor });
    expect(await claimPaidJournalsPerPayment(remittanceId)).toEqual([1, 0, 1, 1]);
    const held = await database.db.remittanceClaim.findFirstOrThrow({ where: { remittanceId, position: 2 }, select: { status: true, heldReason: true } });
    expect(held.status).toBe("held");
    expect(held.heldReason).toMatch(/closed/i);
    expect(await getRemittancePostingOrThrow(database.db, { organizationId, remittanceId })).toEqual({
      inBackground: true,
      finished: true,
      total: 4,
      waiting: 0,
      posted: 3,
      duplicate: 0,
      held: 1,
    });
    expect((await fileSummary(remittanceId)).at(-1)?.message).toMatch(
      /^Payment EFT\d+: posting finished in the background: 3 claim payments posted, 1 held \(see Claims → Unmatched payments\)\.$/,
    );
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a job sent to the remittances.post queue is worked by pg-boss: the remittance ends posted", async () => {
    const background = await clinicWithClaims(CLAIMS);
    const { remittanceId } = await importFile(background.c, background.claims, { inlinePostingLimit: SMALL_LIMIT });
    const organizationId = background.c.organizationId;

    const boss: PgBoss = await createBoss({ connectionString: database.url });
    const job = await startPostRemittancesJob(boss, { db: database.db, log });
    cleanup.push(async () => {
      await job.stop();
      await boss.stop({ graceful: false });
    });
    await enqueueRemittancePosting(boss, { organizationId, remittanceId, actor: background.c.actor });
    await expect
      .poll(async () => (await getRemittancePostingOrThrow(database.db, { organizationId, remittanceId })).finished, { timeout: 30_000, interval: 250 })
      .toBe(true);
    expect(await claimPaidJournalsPerPayment(remittanceId)).toEqual([1, 1, 1, 1]);
  });
});

function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}
