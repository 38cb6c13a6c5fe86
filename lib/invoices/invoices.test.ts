import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getInvoiceReceivable, getTrialBalance } from "@/lib/ledger/balances";
import { setPatientArchived } from "@/lib/patients/set-patient-archived";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { poolOf } from "@/lib/db/client";
import { isEmbeddedUrl } from "@/lib/db/embedded-url";
import { createInvoice } from "./create-invoice";
import { finalizeInvoice } from "./finalize-invoice";
import { getInvoiceView } from "./get-invoice";
import { listInvoices } from "./list-invoices";
import { markInvoiceUncollectible } from "./mark-invoice-uncollectible";
import { updateDraftInvoice } from "./update-draft-invoice";
import { voidInvoice } from "./void-invoice";

const database = setupTestDatabase();
const actor = testActor();

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: unknown) => (error instanceof AppError ? error.code : (error as Error).name),
  );

async function setup() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  return { org, patient, organizationId: org.organizationId };
}

const threeLines = [
  { description: "Office visit, established patient", serviceCode: "99213", quantity: 1, unitAmount: 15000 },
  { description: "Flu vaccine", serviceCode: "90686", quantity: 2, unitAmount: 2599 },
  { description: "Medical records copy", quantity: 1, unitAmount: 1000, taxExempt: true },
];

describe("draft invoices", () => {
  it("computes totals on the server from the lines", async () => {
    const { organizationId, patient } = await setup();
    const invoice = await createInvoice(database.db, {
      organizationId,
      actor,
      input: { patientId: patient.id, taxRate: 8.25, discount: { percent: 10 }, lines: threeLines },
    });
    // subtotal 15000 + 5198 + 1000 = 21198; discounts 1500 + 520 + 100 = 2120;
    // tax 8.25% of 13500 = 1113.75 → 1114, of 4678 = 385.935 → 386, exempt 0.
    expect(invoice).toMatchObject({
      status: "draft",
      number: null,
      currency: "USD",
      subtotal: 21198,
      discountTotal: 2120,
      taxTotal: 1500,
      total: 20578,
      amountDue: 0,
      taxRate: 8.25,
      discount: { percent: 10 },
    });
    expect(invoice.lines.map((line) => [line.position, line.amount, line.discountAmount, line.taxAmount])).toEqual([
      [1, 15000, 1500, 1114],
      [2, 5198, 520, 386],
      [3, 1000, 100, 0],
    ]);
  });

  it("uses the organization's currency with its own minor units (JPY has none)", async () => {
    const { organizationId, patient } = await setup();
    await database.db.organization.update({ where: { id: organizationId }, data: { currency: "JPY" } });
    const invoice = await createInvoice(database.db, {
      organizationId,
      actor,
      input: { patientId: patient.id, taxRate: 10, lines: [{ description: "Consultation", quantity: 1, unitAmount: 5555 }] },
    });
    expect(invoice).toMatchObject({ currency: "JPY", subtotal: 5555, taxTotal: 556, total: 6111 });
  });

  it("rejects bad amounts, quantities and totals with field messages, writing nothing", async () => {
    const { organizationId, patient } = await setup();
    const before = await database.db.invoice.count();
    const fieldsOf = async (lines: unknown[]) => {
      const error = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines: lines as never } }).then(
        () => null,
        (caught: unknown) => caught,
      );
      if (error instanceof AppError) return Object.keys(error.fields ?? {});
      return (error as { issues: { path: (string | number)[] }[] }).issues.map((issue) => issue.path.join("."));
    };
    expect(await fieldsOf([{ description: "x", quantity: 1, unitAmount: -5 }])).toEqual(["lines.0.unitAmount"]);
    expect(await fieldsOf([{ description: "x", quantity: 1, unitAmount: 10.5 }])).toEqual(["lines.0.unitAmount"]);
    expect(await fieldsOf([{ description: "x", quantity: 0, unitAmount: 100 }])).toEqual(["lines.0.quantity"]);
    expect(await fieldsOf([{ description: "", quantity: 1, unitAmount: 100 }])).toEqual(["lines.0.description"]);
    expect(await fieldsOf([{ description: "x", quantity: 2, unitAmount: 60_000_000 }])).toEqual(["lines.0.unitAmount"]);
    expect(
      await fieldsOf([
        { description: "a", quantity: 1, unitAmount: 60_000_000 },
        { description: "b", quantity: 1, unitAmount: 60_000_000 },
      ]),
    ).toEqual(["lines"]);
    expect(await database.db.invoice.count()).toBe(before);
  });

  it("refuses unknown and archived patients", async () => {
    const { organizationId, patient } = await setup();
    const other = await setup();
    expect(await codeOf(createInvoice(database.db, { organizationId, actor, input: { patientId: other.patient.id, lines: [] } }))).toBe("VALIDATION_FAILED");
    await setPatientArchived(database.db, { organizationId, patientId: patient.id, archived: true, actor });
    expect(await codeOf(createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines: [] } }))).toBe("CONFLICT");
  });

  it("edits drafts (replacing lines in order, recomputing) but never finalized invoices", async () => {
    const { organizationId, patient } = await setup();
    const draft = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines: threeLines } });
    const custom = await createInvoice(database.db, {
      organizationId,
      actor,
      input: {
        patientId: patient.id,
        dueDate: "2026-12-31",
        currency: "JPY",
        memo: "Custom terms, no discount",
        discount: { amount: 500 },
        lines: [{ ...threeLines[0]!, serviceCode: "99213", taxExempt: true }],
      },
    });
    expect(custom).toMatchObject({ terms: "custom", dueDate: "2026-12-31", currency: "JPY", discount: { amount: 500 } });
    expect(custom).toEqual(await getInvoiceView(database.db, { id: custom.id, organizationId }));
    const reordered = await updateDraftInvoice(database.db, { organizationId, invoiceId: draft.id, actor, input: { lines: [threeLines[2]!, threeLines[0]!] } });
    expect(reordered.lines.map((line) => line.description)).toEqual(["Medical records copy", "Office visit, established patient"]);
    expect(reordered.total).toBe(16000);
    const taxed = await updateDraftInvoice(database.db, { organizationId, invoiceId: draft.id, actor, input: { taxRate: 5, discount: { amount: 1000 } } });
    expect(taxed).toMatchObject({ subtotal: 16000, discountTotal: 1000, total: 15000 + Math.round(0.05 * (15000 - 938)) });
    expect(taxed.lines.map((line) => line.discountAmount)).toEqual([63, 937]);

    await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    expect(await codeOf(updateDraftInvoice(database.db, { organizationId, invoiceId: draft.id, actor, input: { memo: "late edit" } }))).toBe("CONFLICT");
  });
});

describe("finalizing", () => {
  it("numbers the invoice, sets the due date from the terms and posts a balanced journal", async () => {
    const { organizationId, patient } = await setup();
    const draft = await createInvoice(database.db, {
      organizationId,
      actor,
      input: { patientId: patient.id, terms: "net_30", taxRate: 8.25, discount: { percent: 10 }, lines: threeLines },
    });
    // What creating answers is what is stored (built from what it inserted, not read again).
    expect(draft).toEqual(await getInvoiceView(database.db, { id: draft.id, organizationId }));
    const now = new Date("2026-03-01T18:00:00Z");
    const invoice = await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor, now });
    expect(invoice).toMatchObject({ number: "INV-00001", status: "open", amountDue: 20578, dueDate: "2026-03-31", finalizedAt: now.toISOString() });
    // What finalizing answers is what is stored (it is built from the locked row, not read again).
    expect(invoice).toEqual(await getInvoiceView(database.db, { id: invoice.id, organizationId }));
    expect(await getInvoiceReceivable(database.db, invoice.id)).toBe(20578);
    const balances = Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
    expect(balances).toEqual({ "1100": 20578, "2100": -1500, "4000": -21198, "4900": 2120 });
  });

  it("refuses an invoice with no lines, and a second finalization", async () => {
    const { organizationId, patient } = await setup();
    const empty = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id } });
    expect(await codeOf(finalizeInvoice(database.db, { organizationId, invoiceId: empty.id, actor }))).toBe("VALIDATION_FAILED");
    const draft = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines: threeLines } });
    await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    expect(await codeOf(finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor }))).toBe("CONFLICT");
    expect(await database.db.journalEntry.count({ where: { sourceId: draft.id } })).toBe(1);
  });

  it("finalizes what a concurrent edit committed while it waited for the invoice's lock (lines and totals alike)", async () => {
    // On PostgreSQL only: the embedded server runs one transaction at a time, so no finalize can
    // wait on another transaction's lock there (it would wait for a connection instead).
    if (isEmbeddedUrl(database.url)) return;
    const { organizationId, patient } = await setup();
    const draft = await createInvoice(database.db, {
      organizationId,
      actor,
      input: { patientId: patient.id.toUpperCase(), lines: [{ description: "Visit", quantity: 1, unitAmount: 10_000 }] },
    });
    expect(draft.patientId).toBe(patient.id);
    const editor = await poolOf(database.db).connect();
    try {
      await editor.query("BEGIN");
      await editor.query("SELECT id FROM invoices WHERE id = $1::uuid FOR UPDATE", [draft.id]);
      const finalizing = finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
      // Let the finalize start and block on the lock, then change the line and the totals and commit.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await editor.query("UPDATE invoice_lines SET quantity = 3, amount = 30000 WHERE invoice_id = $1::uuid", [draft.id]);
      await editor.query("UPDATE invoices SET subtotal = 30000, total = 30000, updated_at = now() WHERE id = $1::uuid", [draft.id]);
      await editor.query("COMMIT");
      const invoice = await finalizing;
      expect(invoice).toMatchObject({ status: "open", total: 30000, amountDue: 30000 });
      expect(invoice.lines.map((line) => [line.quantity, line.amount])).toEqual([[3, 30000]]);
      expect(invoice).toEqual(await getInvoiceView(database.db, { id: draft.id, organizationId }));
      expect(await getInvoiceReceivable(database.db, draft.id)).toBe(30000);
    } finally {
      editor.release();
    }
  });

  it("gives 50 concurrent finalizations 50 distinct consecutive numbers", async () => {
    const { organizationId, patient } = await setup();
    const drafts = await Promise.all(
      Array.from({ length: 50 }, () => createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines: [threeLines[0]!] } })),
    );
    const finalized = await Promise.all(drafts.map((draft) => finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor })));
    const numbers = finalized.map((invoice) => invoice.number!).sort();
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, index) => `INV-${String(index + 1).padStart(5, "0")}`));
  });

  it("keeps numbering gapless when a finalization fails and rolls back", async () => {
    const { organizationId, patient } = await setup();
    const ok = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines: [threeLines[0]!] } });
    const empty = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id } });
    const next = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines: [threeLines[0]!] } });
    expect((await finalizeInvoice(database.db, { organizationId, invoiceId: ok.id, actor })).number).toBe("INV-00001");
    expect(await codeOf(finalizeInvoice(database.db, { organizationId, invoiceId: empty.id, actor }))).toBe("VALIDATION_FAILED");
    expect((await finalizeInvoice(database.db, { organizationId, invoiceId: next.id, actor })).number).toBe("INV-00002");
  });

  it("numbers each organization separately, and treats other organizations' invoices as not found", async () => {
    const a = await setup();
    const b = await setup();
    const invoiceA = await createInvoice(database.db, { organizationId: a.organizationId, actor, input: { patientId: a.patient.id, lines: [threeLines[0]!] } });
    const invoiceB = await createInvoice(database.db, { organizationId: b.organizationId, actor, input: { patientId: b.patient.id, lines: [threeLines[0]!] } });
    expect(await codeOf(finalizeInvoice(database.db, { organizationId: b.organizationId, invoiceId: invoiceA.id, actor }))).toBe("NOT_FOUND");
    expect((await finalizeInvoice(database.db, { organizationId: a.organizationId, invoiceId: invoiceA.id, actor })).number).toBe("INV-00001");
    expect((await finalizeInvoice(database.db, { organizationId: b.organizationId, invoiceId: invoiceB.id, actor })).number).toBe("INV-00001");
  });
});

describe("void and write-off", () => {
  it("voiding posts the reversing journal and zeroes the receivable", async () => {
    const { organizationId, patient } = await setup();
    const draft = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, taxRate: 8.25, lines: threeLines } });
    const invoice = await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    expect(await codeOf(voidInvoice(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "" } }))).toBe("ZodError");
    const voided = await voidInvoice(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "Billed the wrong patient" } });
    expect(voided).toMatchObject({ status: "void", amountDue: 0, voidReason: "Billed the wrong patient" });
    expect(await getInvoiceReceivable(database.db, invoice.id)).toBe(0);
    expect((await getTrialBalance(database.db, organizationId)).every((row) => row.balance === 0)).toBe(true);
    expect(await codeOf(voidInvoice(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "again" } }))).toBe("CONFLICT");
  });

  it("marking uncollectible writes the balance off to bad debt", async () => {
    const { organizationId, patient } = await setup();
    const draft = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines: [threeLines[0]!] } });
    const invoice = await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    const written = await markInvoiceUncollectible(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "Patient unreachable" } });
    expect(written).toMatchObject({ status: "uncollectible", amountDue: 0, amountWrittenOff: 15000 });
    const balances = Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
    expect(balances).toMatchObject({ "1100": 0, "6200": 15000, "4000": -15000 });
  });

  it("the database itself refuses to edit or delete journals, and refuses unbalanced ones", async () => {
    const { organizationId, patient } = await setup();
    const draft = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines: [threeLines[0]!] } });
    await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    await expect(database.db.journalLine.updateMany({ where: { invoiceId: draft.id }, data: { amount: 1 } })).rejects.toThrow(/permission denied/);
    await expect(database.db.journalEntry.deleteMany({ where: { sourceId: draft.id } })).rejects.toThrow(/permission denied/);
    // The tables' owner (who runs migrations) is refused too, by the append-only triggers.
    const owner = createDb({ connectionString: database.ownerUrl, poolSize: 1 });
    try {
      await expect(owner.journalLine.updateMany({ where: { invoiceId: draft.id }, data: { amount: 1 } })).rejects.toThrow(/append-only/);
      await expect(owner.journalEntry.deleteMany({ where: { sourceId: draft.id } })).rejects.toThrow(/append-only/);
    } finally {
      await owner.$disconnect();
    }
    const account = await database.db.ledgerAccount.findFirstOrThrow({ where: { organizationId } });
    await expect(
      database.db.journalEntry.create({
        data: {
          organizationId,
          currency: "USD",
          kind: "test",
          memo: "unbalanced",
          sourceType: "test",
          sourceId: draft.id,
          lines: {
            create: [
              { accountId: account.id, amount: 100 },
              { accountId: account.id, amount: -99 },
            ],
          },
        },
      }),
    ).rejects.toThrow(/unbalanced/);
  });
});

describe("listing", () => {
  it("filters by status, patient, overdue and number, with cursor pagination", async () => {
    const { organizationId, patient } = await setup();
    const other = await createTestPatient(database.db, { organizationId });
    const drafts = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        createInvoice(database.db, {
          organizationId,
          actor,
          input: { patientId: index < 3 ? patient.id : other.id, dueDate: index === 0 ? "2020-01-01" : undefined, lines: [threeLines[0]!] },
        }),
      ),
    );
    for (const draft of drafts.slice(0, 2)) await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    const ids = async (input: Parameters<typeof listInvoices>[1]["input"]) =>
      (await listInvoices(database.db, { organizationId, input })).data.map((invoice) => invoice.id).sort();
    expect(await ids({ status: "draft" })).toEqual(
      drafts
        .slice(2)
        .map((draft) => draft.id)
        .sort(),
    );
    expect(await ids({ status: "overdue" })).toEqual([drafts[0]!.id]);
    expect(await ids({ patientId: other.id })).toEqual(
      drafts
        .slice(3)
        .map((draft) => draft.id)
        .sort(),
    );
    expect(await ids({ number: "2" })).toEqual([drafts[1]!.id]);
    const first = await listInvoices(database.db, { organizationId, input: { limit: 3 } });
    const second = await listInvoices(database.db, { organizationId, input: { limit: 3, cursor: first.nextCursor! } });
    expect(first.data.length + second.data.length).toBe(5);
    expect(second.nextCursor).toBeNull();
    const overdue = (await listInvoices(database.db, { organizationId, input: { status: "overdue" } })).data[0]!;
    expect(overdue.overdue).toBe(true);
  });
});
