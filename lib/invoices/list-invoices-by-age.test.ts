import { describe, expect, it } from "vitest";
import { AGING_BUCKETS } from "@/lib/analytics/analytics.types";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createInvoice } from "./create-invoice";
import { addDays, startOfDayIn, todayIn } from "./dates";
import { finalizeInvoice } from "./finalize-invoice";
import { listInvoices } from "./list-invoices";

const database = setupTestDatabase();
const actor = testActor();

/** An invoice finalized at hh:mm on a clinic day (`daysAgo` before today), optionally paid in full. */
async function invoiceOn(
  organizationId: string,
  patientId: string,
  options: { daysAgo: number; hour: number; minute?: number; total: number; paid?: boolean },
) {
  const organization = await database.db.organization.findUniqueOrThrow({ where: { id: organizationId } });
  const day = addDays(todayIn(organization.timezone), -options.daysAgo);
  const now = new Date(startOfDayIn(day, organization.timezone).getTime() + (options.hour * 60 + (options.minute ?? 0)) * 60_000);
  const draft = await createInvoice(database.db, {
    organizationId,
    actor,
    input: { patientId, lines: [{ description: `Visit ${options.daysAgo} days ago`, quantity: 1, unitAmount: options.total }] },
  });
  const invoice = await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor, now });
  if (options.paid)
    await recordManualPayment(database.db, { organizationId, actor, input: { patientId, invoiceId: invoice.id, method: "cash", amount: options.total } });
  return invoice;
}

describe("the invoice list's aging and finalization-day filters (the analytics page's drill-downs)", () => {
  it("age= lists the unpaid invoices of one bucket by days since their clinic invoice date, late-night ones on their local day", async () => {
    const { organizationId } = await createTestOrganization(database.db);
    await database.db.organization.update({ where: { id: organizationId }, data: { timezone: "America/Los_Angeles" } });
    const patient = await createTestPatient(database.db, { organizationId });
    const made = {
      today: await invoiceOn(organizationId, patient.id, { daysAgo: 0, hour: 0, minute: 5, total: 1_000 }),
      // 23:30 in Los Angeles is the next day in UTC: still 30 days old on the clinic's calendar.
      lateNight30: await invoiceOn(organizationId, patient.id, { daysAgo: 30, hour: 23, minute: 30, total: 2_000 }),
      earlyMorning31: await invoiceOn(organizationId, patient.id, { daysAgo: 31, hour: 0, minute: 30, total: 3_000 }),
      days75: await invoiceOn(organizationId, patient.id, { daysAgo: 75, hour: 10, total: 4_000 }),
      days91: await invoiceOn(organizationId, patient.id, { daysAgo: 91, hour: 10, total: 5_000 }),
      days200: await invoiceOn(organizationId, patient.id, { daysAgo: 200, hour: 10, total: 6_000 }),
      paid45: await invoiceOn(organizationId, patient.id, { daysAgo: 45, hour: 10, total: 7_000, paid: true }),
    };
    const ids = async (input: Parameters<typeof listInvoices>[1]["input"]) =>
      (await listInvoices(database.db, { organizationId, input })).data.map((invoice) => invoice.id).toSorted();
    const sorted = (...invoices: { id: string }[]) => invoices.map((invoice) => invoice.id).toSorted();

    const byBucket = Object.fromEntries(await Promise.all(AGING_BUCKETS.map(async (bucket) => [bucket, await ids({ age: bucket })])));
    expect(byBucket).toEqual({
      "0-30": sorted(made.today, made.lateNight30),
      "31-60": sorted(made.earlyMorning31),
      "61-90": sorted(made.days75),
      "91-120": sorted(made.days91),
      "120+": sorted(made.days200),
    });
    expect(await ids({ age: "91+" })).toEqual(sorted(made.days91, made.days200));

    const organization = await database.db.organization.findUniqueOrThrow({ where: { id: organizationId } });
    const day30 = addDays(todayIn(organization.timezone), -30);
    expect(await ids({ finalizedFrom: day30, finalizedTo: day30 })).toEqual(sorted(made.lateNight30));
    expect(await ids({ finalizedFrom: addDays(day30, -15), finalizedTo: addDays(day30, -1) })).toEqual(sorted(made.earlyMorning31, made.paid45));
  });
});
