import { describe, expect, it } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { listInvoices } from "@/lib/invoices/list-invoices";
import { listDisputes } from "@/lib/disputes/list-disputes";
import { issueCreditNote } from "@/lib/credit-notes/issue-credit-note";
import { listOrganizationCreditNotes } from "@/lib/credit-notes/list-credit-notes";
import { createPatient } from "@/lib/patients/create-patient";
import { listPatients } from "@/lib/patients/list-patients";
import { listPayments } from "@/lib/payments/list-payments";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { AppError } from "@/lib/errors";
import { createTestOrganization, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { searchEverything } from "./global-search";
import { readInvoiceListParams, readPaymentListParams, sortHeaders, INVOICE_DEFAULT_SORT } from "./list-params";
import { INVOICE_SORT_DIRECTIONS } from "@/lib/invoices/invoices.types";
import { escapeLike, readSearchText } from "./search-text";

const database = setupTestDatabase();
const actor = testActor();

/** A clinic with Maria Garcia (two invoices, a $150.00 cash payment) and John Smith (one invoice). */
async function clinic() {
  const org = await createTestOrganization(database.db);
  const organizationId = org.organizationId;
  const staff = testActor(org.adminUserId, org.adminEmail);
  const patient = (input: { firstName: string; lastName: string; email?: string; phone?: string; externalId?: string }) =>
    createPatient(database.db, { organizationId, actor, input });
  const maria = await patient({ firstName: "Maria", lastName: "Garcia", email: "maria.garcia@example.test", phone: "(555) 010-2233", externalId: "MRN-4417" });
  const john = await patient({ firstName: "John", lastName: "Smith", email: "jsmith@example.test", phone: "+1 503 555 0199", externalId: "MRN-8820" });
  const invoice = async (patientId: string, total: number, finalize = true) => {
    const draft = await createInvoice(database.db, {
      organizationId,
      actor,
      input: { patientId, lines: [{ description: "Visit", quantity: 1, unitAmount: total }] },
    });
    return finalize ? finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor }) : draft;
  };
  const mariaFirst = await invoice(maria.id, 20_000);
  const johnInvoice = await invoice(john.id, 9_000);
  const mariaSecond = await invoice(maria.id, 5_000);
  const payment = await recordManualPayment(database.db, {
    organizationId,
    actor: staff,
    input: { patientId: maria.id, method: "cash", amount: 15_000, invoiceId: mariaFirst.id },
  });
  return { org, organizationId, maria, john, mariaFirst, mariaSecond, johnInvoice, payment, invoice, patient };
}

const invoiceIds = async (organizationId: string, input: Parameters<typeof listInvoices>[1]["input"]) =>
  (await listInvoices(database.db, { organizationId, input })).data.map((invoice) => invoice.id).sort();
const patientNames = async (organizationId: string, query: string) =>
  (await listPatients(database.db, { organizationId, input: { query } })).data.map((patient) => patient.lastName).sort();

describe("the search predicate", () => {
  it("finds a patient by either name, both names, email, MRN, or phone digits however they are typed", async () => {
    const { organizationId } = await clinic();
    for (const query of [
      "Maria",
      "garcia",
      "Maria Garcia",
      "garcia maria",
      "maria.garcia@",
      "MRN-4417",
      "4417",
      "(555) 010-2233",
      "555-010-2233",
      "5550102233",
      "0102233",
    ]) {
      expect(await patientNames(organizationId, query), query).toEqual(["Garcia"]);
    }
    expect(await patientNames(organizationId, "503.555.0199")).toEqual(["Smith"]);
    expect(await patientNames(organizationId, "Maria Smith")).toEqual([]);
    expect(await patientNames(organizationId, "example.test")).toEqual(["Garcia", "Smith"]);
  });

  it("finds invoices by patient name, phone or number, and never another organization's", async () => {
    const { organizationId, mariaFirst, mariaSecond, johnInvoice } = await clinic();
    const other = await clinic();
    const maria = [mariaFirst.id, mariaSecond.id].sort();
    expect(await invoiceIds(organizationId, { query: "Maria" })).toEqual(maria);
    expect(await invoiceIds(organizationId, { query: "(555) 010-2233" })).toEqual(maria);
    expect(await invoiceIds(organizationId, { query: "maria.garcia@example.test" })).toEqual(maria);
    expect(await invoiceIds(organizationId, { query: johnInvoice.number! })).toEqual([johnInvoice.id]);
    expect(await invoiceIds(organizationId, { query: "#2" })).toEqual([johnInvoice.id]);
    expect(await invoiceIds(organizationId, { query: "Nobody" })).toEqual([]);
    // The other clinic has its own Maria Garcia with the same phone and numbers: never mixed in.
    const everything = new Set(await invoiceIds(organizationId, { query: "Maria" }));
    for (const id of [other.mariaFirst.id, other.mariaSecond.id, other.johnInvoice.id]) expect(everything.has(id)).toBe(false);
    expect(await invoiceIds(other.organizationId, { query: "INV-00002" })).toEqual([other.johnInvoice.id]);
  });

  it("treats LIKE wildcards and backslashes as plain characters", async () => {
    const { organizationId, patient } = await clinic();
    await patient({ firstName: "A_n", lastName: "Percent%Sign" });
    await patient({ firstName: "Ann", lastName: "Back\\slash" });
    expect(await patientNames(organizationId, "A_n")).toEqual(["Percent%Sign"]);
    expect(await patientNames(organizationId, "%")).toEqual(["Percent%Sign"]);
    expect(await patientNames(organizationId, "_")).toEqual(["Percent%Sign"]);
    expect(await patientNames(organizationId, "\\")).toEqual(["Back\\slash"]);
    expect(escapeLike("50%_off\\")).toBe("50\\%\\_off\\\\");
  });

  it("finds payments by patient, invoice number and amount in any common form", async () => {
    const { organizationId, payment, mariaFirst } = await clinic();
    const other = await clinic();
    const paymentIds = async (query: string) => (await listPayments(database.db, { organizationId, input: { query } })).data.map((item) => item.id);
    for (const query of ["150", "$150.00", "150.00", "Garcia", "555 010 2233", mariaFirst.number!]) {
      expect(await paymentIds(query), query).toEqual([payment.id]);
    }
    expect(await paymentIds("$151")).toEqual([]);
    expect(await paymentIds("Smith")).toEqual([]);
    expect((await listPayments(database.db, { organizationId: other.organizationId, input: { query: "150" } })).data.map((item) => item.id)).toEqual([
      other.payment.id,
    ]);
  });

  it("filters payments From/To by the clinic's calendar days, not UTC's", async () => {
    const { organizationId, payment } = await clinic();
    await database.db.organization.update({ where: { id: organizationId }, data: { timezone: "America/Los_Angeles" } });
    // 05:30 UTC on Dec 5 is 9:30 PM on Dec 4 in Los Angeles.
    await database.db.payment.update({ where: { id: payment.id }, data: { createdAt: new Date("2026-12-05T05:30:00Z") } });
    const between = async (from: string, to: string) => (await listPayments(database.db, { organizationId, input: { from, to } })).data.map((item) => item.id);
    expect(await between("2026-12-04", "2026-12-04")).toEqual([payment.id]);
    expect(await between("2026-12-05", "2026-12-05")).toEqual([]);
  });

  it("reads what people type", () => {
    expect(readSearchText("  $1,234.50 ")).toMatchObject({ amount: 123_450, numberDigits: null, phoneLike: false });
    expect(readSearchText("INV-00012")).toMatchObject({ numberDigits: "00012", amount: null });
    expect(readSearchText("(555) 010-2233")).toMatchObject({ phoneLike: true, digits: "5550102233", numberDigits: null });
    expect(readSearchText("bob2@example.test")).toMatchObject({ numberDigits: null, phoneLike: false, amount: null });
    expect(readSearchText("   ")).toBeNull();
    expect(readSearchText("5550102233")).toMatchObject({ amount: null, phoneLike: true, numberDigits: "5550102233" });
    expect(readSearchText("999999.99")).toMatchObject({ amount: 99_999_999 });
  });
});

describe("disputes list", () => {
  it("searches and filters disputes by patient, only within the organization", async () => {
    const { organizationId, payment, mariaFirst, maria, john } = await clinic();
    const other = await clinic();
    // A dispute row as Stripe's webhook would leave it (the dispute flow itself is tested in lib/disputes).
    const dispute = (org: string, paymentId: string, invoiceId: string, id: string) =>
      database.db.dispute.create({
        data: {
          organizationId: org,
          paymentId,
          invoiceId,
          stripeDisputeId: `dp_${id}`,
          currency: "USD",
          amount: 15_000,
          reason: "fraudulent",
          status: "needs_response",
        },
      });
    const mine = await dispute(organizationId, payment.id, mariaFirst.id, `${organizationId}`);
    await dispute(other.organizationId, other.payment.id, other.mariaFirst.id, `${other.organizationId}`);
    const ids = async (input: Parameters<typeof listDisputes>[1]["input"]) =>
      (await listDisputes(database.db, { organizationId, input })).data.map((item) => item.id);
    expect(await ids({ query: "Garcia" })).toEqual([mine.id]);
    expect(await ids({ query: "$150" })).toEqual([mine.id]);
    expect(await ids({ query: mariaFirst.number! })).toEqual([mine.id]);
    expect(await ids({ query: "Smith" })).toEqual([]);
    expect(await ids({ patientId: maria.id })).toEqual([mine.id]);
    expect(await ids({ patientId: john.id })).toEqual([]);
    expect(await ids({ patientId: other.maria.id })).toEqual([]);
  });
});

describe("credit notes list", () => {
  it("lists the organization's credit notes, searched by patient or number, filtered by patient, sorted by amount", async () => {
    const { organizationId, maria, john, mariaSecond, johnInvoice } = await clinic();
    const other = await clinic();
    const credit = (org: string, invoiceId: string, amount: number) =>
      issueCreditNote(database.db, { organizationId: org, invoiceId, actor, input: { amount, reason: "Courtesy discount", disposition: "reduce_balance" } });
    const small = await credit(organizationId, mariaSecond.id, 500);
    const large = await credit(organizationId, johnInvoice.id, 2_000);
    await credit(other.organizationId, other.mariaSecond.id, 700);
    const ids = async (input: Parameters<typeof listOrganizationCreditNotes>[1]["input"]) =>
      (await listOrganizationCreditNotes(database.db, { organizationId, input })).data.map((item) => item.id);
    expect(await ids({})).toEqual([large.id, small.id]);
    expect(await ids({ sort: "amount", direction: "asc" })).toEqual([small.id, large.id]);
    expect(await ids({ query: "garcia" })).toEqual([small.id]);
    expect(await ids({ query: "(555) 010-2233" })).toEqual([small.id]);
    expect(await ids({ query: large.number })).toEqual([large.id]);
    expect(await ids({ query: johnInvoice.number! })).toEqual([large.id]);
    expect(await ids({ patientId: john.id })).toEqual([large.id]);
    expect(await ids({ patientId: other.maria.id })).toEqual([]);
    const page = await listOrganizationCreditNotes(database.db, { organizationId, input: { patientId: maria.id } });
    expect(page.data[0]).toMatchObject({ number: small.number, invoiceNumber: mariaSecond.number, patientName: "Maria Garcia", amount: 500 });
  });
});

describe("sorting", () => {
  it("pages through every sort in order, ties broken by id, empty values last, each row once", async () => {
    const { organizationId, invoice, maria, john } = await clinic();
    // Ties on total and on due date, and drafts without a number or due date.
    for (const total of [9_000, 9_000, 5_000]) await invoice(john.id, total);
    for (const total of [9_000, 1_000]) await invoice(maria.id, total, false);
    const all = (await listInvoices(database.db, { organizationId, input: { limit: 100 } })).data;
    expect(all).toHaveLength(8);
    for (const sort of ["created", "number", "patient", "due", "total", "balance"] as const) {
      for (const direction of ["asc", "desc"] as const) {
        const seen: typeof all = [];
        let cursor: string | undefined;
        do {
          const page = await listInvoices(database.db, { organizationId, input: { sort, direction, limit: 3, cursor } });
          seen.push(...page.data);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        const label = `${sort} ${direction}`;
        expect(new Set(seen.map((row) => row.id)).size, label).toBe(8);
        const value = (row: (typeof all)[number]) =>
          ({
            created: row.createdAt,
            number: row.number,
            patient: row.patientName.split(" ").reverse().join(" "),
            due: row.dueDate,
            total: row.total,
            balance: row.amountDue,
          })[sort];
        for (let index = 1; index < seen.length; index += 1) {
          const previous = value(seen[index - 1]!);
          const current = value(seen[index]!);
          if (previous === null) expect(current, `${label}: empty values last`).toBeNull();
          else if (current !== null && previous !== current) expect(direction === "asc" ? previous < current : previous > current, label).toBe(true);
          else if (current !== null) {
            const [a, b] = [seen[index - 1]!.id, seen[index]!.id];
            expect(direction === "asc" ? a < b : a > b, `${label}: tie broken by id`).toBe(true);
          }
        }
      }
    }
  });

  it("defaults to newest first and falls back to it for unknown sort parameters", () => {
    expect(readInvoiceListParams({}).sort).toEqual({ column: "created", direction: "desc" });
    expect(readInvoiceListParams({ sort: "drop table", dir: "sideways" }).sort).toEqual({ column: "created", direction: "desc" });
    // Links from before the search took patients (?number=) search for the number, in the page and its CSV export alike.
    expect(readInvoiceListParams(new URLSearchParams("number=INV-00012")).input.query).toBe("INV-00012");
    expect(readInvoiceListParams({ number: "INV-00012", q: "Maria" }).input.query).toBe("Maria");
    expect(readInvoiceListParams({ sort: "total" }).sort).toEqual({ column: "total", direction: "desc" });
    expect(readInvoiceListParams({ sort: "patient", dir: "desc", status: "nonsense", patient: "not-a-uuid", cursor: "x" })).toMatchObject({
      sort: { column: "patient", direction: "desc" },
      filters: { status: undefined, patient: undefined, cursor: undefined },
    });
    expect(readPaymentListParams(new URLSearchParams("sort=amount&dir=asc&q=150&status=bogus")).input).toMatchObject({
      sort: "amount",
      direction: "asc",
      query: "150",
      status: undefined,
    });
  });

  it("header links flip the sorted column, keep the filters and start again at the first page", () => {
    const header = sortHeaders({
      path: "/app/invoices",
      values: { q: "Maria", patient: "p1", cursor: "c1" },
      sort: { column: "total", direction: "desc" },
      directions: INVOICE_SORT_DIRECTIONS,
      fallback: INVOICE_DEFAULT_SORT,
    });
    expect(header("total")).toEqual({ href: "/app/invoices?q=Maria&patient=p1&sort=total&dir=asc", direction: "desc" });
    expect(header("patient")).toEqual({ href: "/app/invoices?q=Maria&patient=p1&sort=patient&dir=asc", direction: null });
    expect(header("created")).toEqual({ href: "/app/invoices?q=Maria&patient=p1", direction: null });
  });
});

/** The signed-in clinic as the session carries it. */
const clinicOf = (id: string) =>
  database.db.organization.findUniqueOrThrow({ where: { id }, select: { id: true, currency: true, timezone: true, country: true } });

describe("global search", () => {
  it("groups patients, invoices and payments of the organization, at most 8 each", async () => {
    const { org, organizationId, maria, payment, patient } = await clinic();
    await clinic();
    const organization = await clinicOf(organizationId);
    const search = (query: string) => searchEverything(database.db, { organization, userId: org.adminUserId, input: { query } });
    const byName = await search("garcia");
    expect(byName.patients.map((row) => row.id)).toEqual([maria.id]);
    expect(byName.invoices).toHaveLength(2);
    expect(byName.payments.map((row) => row.id)).toEqual([payment.id]);
    const byAmount = await search("$150.00");
    expect(byAmount.payments.map((row) => row.id)).toEqual([payment.id]);
    expect(byAmount.patients).toEqual([]);
    for (let index = 0; index < 10; index += 1) await patient({ firstName: `Many${index}`, lastName: "Garciaz" });
    expect((await search("garcia")).patients).toHaveLength(8);
    expect(await search("  ")).toEqual({ patients: [], invoices: [], payments: [] });
    // A phone number typed as digits is also a (too large) amount: it finds the patient, never an int overflow.
    // Phones read the clinic's way, as on the patient pages.
    expect((await search("Smith")).patients.map((row) => row.phone)).toEqual(["(503) 555-0199"]);
    const byPhone = await search("5550102233");
    expect(byPhone.patients.map((row) => row.id)).toEqual([maria.id]);
    expect(byPhone.payments.map((row) => row.id)).toEqual([payment.id]);
  });

  it("refuses a user past 120 searches a minute with a 429", async () => {
    const { org, organizationId } = await clinic();
    await database.db.rateLimitBucket.create({ data: { key: `search:user:${org.adminUserId}`, windowStart: new Date(), count: 120 } });
    const refused = await searchEverything(database.db, {
      organization: await clinicOf(organizationId),
      userId: org.adminUserId,
      input: { query: "maria" },
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("RATE_LIMITED");
  });
});
