import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { codeFiles } from "@/tests/source-files";
import type { InvoiceStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { ALLOWED_FROM, nextBalance, type BalanceChange, type BalanceChangeKind, type InvoiceBalance } from "./change-invoice-balance";

/** One invoice of 100.00 in each status, as the app leaves it. */
const INVOICES: Record<InvoiceStatus, InvoiceBalance> = {
  draft: { id: "draft", number: null, status: "draft", total: 10000, amountPaid: 0, amountCredited: 0, amountWrittenOff: 0, amountDue: 0 },
  open: { id: "open", number: "INV-1", status: "open", total: 10000, amountPaid: 0, amountCredited: 0, amountWrittenOff: 0, amountDue: 10000 },
  partially_paid: {
    id: "partial",
    number: "INV-2",
    status: "partially_paid",
    total: 10000,
    amountPaid: 4000,
    amountCredited: 0,
    amountWrittenOff: 0,
    amountDue: 6000,
  },
  paid: { id: "paid", number: "INV-3", status: "paid", total: 10000, amountPaid: 10000, amountCredited: 0, amountWrittenOff: 0, amountDue: 0 },
  uncollectible: {
    id: "written-off",
    number: "INV-4",
    status: "uncollectible",
    total: 10000,
    amountPaid: 4000,
    amountCredited: 0,
    amountWrittenOff: 6000,
    amountDue: 0,
  },
  void: { id: "void", number: "INV-5", status: "void", total: 10000, amountPaid: 0, amountCredited: 0, amountWrittenOff: 0, amountDue: 0 },
};

/** The changes every status is tried with; `uncredit` needs a credited invoice and has its own test below. */
type TabledKind = Exclude<BalanceChangeKind, "uncredit">;
const CHANGES: Record<TabledKind, BalanceChange> = {
  finalize: { kind: "finalize", number: "INV-9", dueDate: "2026-12-05", finalizedAt: new Date("2026-12-05T12:00:00Z") },
  pay: { kind: "pay", amount: 3000 },
  unpay: { kind: "unpay", amount: 3000 },
  credit: { kind: "credit", amount: 3000 },
  write_off: { kind: "write_off", reason: "moved away", at: new Date("2026-12-05T12:00:00Z") },
  reverse_write_off: { kind: "reverse_write_off" },
  void: { kind: "void", reason: "issued twice", at: new Date("2026-12-05T12:00:00Z") },
};

type Expected = "refused" | { status: InvoiceStatus; paid: number; credited: number; writtenOff: number; due: number; recovered?: number };
const R = "refused" as const;
const e = (status: InvoiceStatus, paid: number, credited: number, writtenOff: number, due: number, recovered = 0): Expected => ({
  status,
  paid,
  credited,
  writtenOff,
  due,
  recovered,
});

/** Every (status × change): what the invoice becomes, or refused. */
const TABLE: Record<InvoiceStatus, Record<TabledKind, Expected>> = {
  draft: { finalize: e("open", 0, 0, 0, 10000), pay: R, unpay: R, credit: R, write_off: R, reverse_write_off: R, void: R },
  open: {
    finalize: R,
    pay: e("partially_paid", 3000, 0, 0, 7000),
    unpay: R,
    credit: e("open", 0, 3000, 0, 7000),
    write_off: e("uncollectible", 0, 0, 10000, 0),
    reverse_write_off: R,
    void: e("void", 0, 0, 0, 0),
  },
  partially_paid: {
    finalize: R,
    pay: e("partially_paid", 7000, 0, 0, 3000),
    unpay: e("partially_paid", 1000, 0, 0, 9000),
    credit: e("partially_paid", 4000, 3000, 0, 3000),
    write_off: e("uncollectible", 4000, 0, 6000, 0),
    reverse_write_off: R,
    void: R,
  },
  paid: { finalize: R, pay: R, unpay: e("partially_paid", 7000, 0, 0, 3000), credit: R, write_off: R, reverse_write_off: R, void: R },
  uncollectible: {
    finalize: R,
    pay: e("uncollectible", 7000, 0, 3000, 0, 3000),
    unpay: e("uncollectible", 1000, 0, 6000, 3000),
    credit: R,
    write_off: R,
    reverse_write_off: e("partially_paid", 4000, 0, 0, 6000),
    void: R,
  },
  void: { finalize: R, pay: R, unpay: R, credit: R, write_off: R, reverse_write_off: R, void: R },
};

describe("changeInvoiceBalance's uncredit (a credit note voided on its own)", () => {
  const credited: InvoiceBalance = { ...INVOICES.partially_paid, amountCredited: 3000, amountDue: 3000 };
  it("makes the credited amount owed again, from open, partly paid or paid", () => {
    expect(nextBalance(credited, { kind: "uncredit", amount: 3000 })).toMatchObject({ status: "partially_paid", amountCredited: 0, amountDue: 6000 });
    const paid: InvoiceBalance = { ...INVOICES.paid, amountPaid: 7000, amountCredited: 3000 };
    expect(nextBalance(paid, { kind: "uncredit", amount: 1000 })).toMatchObject({ status: "partially_paid", amountCredited: 2000, amountDue: 1000 });
    const open: InvoiceBalance = { ...INVOICES.open, amountCredited: 10000, amountDue: 0, status: "paid" };
    expect(nextBalance(open, { kind: "uncredit", amount: 10000 })).toMatchObject({ status: "open", amountCredited: 0, amountDue: 10000 });
  });
  it("refuses more than was credited, and void, draft or written-off invoices", () => {
    expect(() => nextBalance(credited, { kind: "uncredit", amount: 3001 })).toThrow(/only 3000 \(minor units\) of it was credited/);
    for (const status of ["void", "draft", "uncollectible"] as const) {
      expect(ALLOWED_FROM.uncredit.includes(status)).toBe(false);
      expect(() => nextBalance({ ...INVOICES[status], amountCredited: 3000 }, { kind: "uncredit", amount: 1000 })).toThrow(AppError);
    }
  });
});

describe("changeInvoiceBalance's rules", () => {
  for (const status of Object.keys(TABLE) as InvoiceStatus[]) {
    for (const kind of Object.keys(CHANGES) as TabledKind[]) {
      const expected = TABLE[status][kind];
      it(`${status} × ${kind} → ${expected === R ? "refused" : expected.status}`, () => {
        const invoice = INVOICES[status];
        if (expected === R) {
          expect(ALLOWED_FROM[kind].includes(status) ? "allowed by the table" : "refused by the table").toBe("refused by the table");
          expect(() => nextBalance(invoice, CHANGES[kind])).toThrow(AppError);
          return;
        }
        const next = nextBalance(invoice, CHANGES[kind]);
        expect({
          status: next.status,
          paid: next.amountPaid,
          credited: next.amountCredited,
          writtenOff: next.amountWrittenOff,
          due: next.amountDue,
          recovered: next.recovered,
        }).toEqual(expected);
        if (next.status !== "void") expect(next.amountDue).toBe(invoice.total - next.amountPaid - next.amountCredited - next.amountWrittenOff);
      });
    }
  }

  it("settles to paid when a payment or a credit note covers what is owed, and a zero invoice is paid when finalized", () => {
    expect(nextBalance(INVOICES.partially_paid, { kind: "pay", amount: 6000 }).status).toBe("paid");
    expect(nextBalance(INVOICES.open, { kind: "credit", amount: 10000 }).status).toBe("paid");
    // A payment of everything written off and due ends the write-off: paid, nothing written off.
    const recovered = nextBalance(INVOICES.uncollectible, { kind: "pay", amount: 6000 });
    expect(recovered).toMatchObject({ status: "paid", amountWrittenOff: 0, amountDue: 0, recovered: 6000 });
    expect(nextBalance({ ...INVOICES.draft, total: 0 }, CHANGES.finalize).status).toBe("paid");
  });

  it("refuses impossible amounts: paying or crediting more than is owed, owing back more than was paid, voiding a paid invoice", () => {
    expect(() => nextBalance(INVOICES.open, { kind: "pay", amount: 10001 })).toThrow(/can take at most 10000/);
    expect(() => nextBalance(INVOICES.partially_paid, { kind: "credit", amount: 6001 })).toThrow(AppError);
    expect(() => nextBalance(INVOICES.partially_paid, { kind: "unpay", amount: 4001 })).toThrow(AppError);
    expect(() => nextBalance({ ...INVOICES.open, amountPaid: 1, amountDue: 9999 }, CHANGES.void)).toThrow(/refund them before voiding/);
    expect(() => nextBalance(INVOICES.open, { kind: "pay", amount: 0 })).toThrow(/positive integer/);
    expect(() => nextBalance(INVOICES.open, { kind: "pay", amount: 1.5 })).toThrow(/positive integer/);
    expect(() => nextBalance({ ...INVOICES.uncollectible, amountWrittenOff: 0, amountDue: 6000 }, CHANGES.reverse_write_off)).toThrow(/nothing written off/);
  });

  it("a payment taken back that had recovered a write-off is written off again, not owed", () => {
    const next = nextBalance(INVOICES.paid, { kind: "unpay", amount: 3000, writeOffAgain: 2000 });
    expect(next).toMatchObject({ status: "uncollectible", amountPaid: 7000, amountWrittenOff: 2000, amountDue: 1000 });
  });

  it("refuses to start from a row that already breaks the identity (amount due ≠ total − paid − credited − written off)", () => {
    expect(() => nextBalance({ ...INVOICES.open, amountDue: 9000 }, { kind: "pay", amount: 1000 })).toThrow(/would break amount due/);
  });
});

// ─── Nothing else writes the money fields ────────────────────────────────────────────────────────

const ROOT = path.resolve(__dirname, "../..");
const OWNER = "lib/invoices/change-invoice-balance.ts";
const MONEY_PROPERTIES = new Set(["amountPaid", "amountDue", "amountCredited", "amountWrittenOff", "status"]);
const SQL_UPDATE = /\bUPDATE\s+"?invoices"?\s/i;
const SQL_MONEY_COLUMN = /\b"?(amount_paid|amount_due|amount_credited|amount_written_off|status)"?\s*=/i;
/** `UPDATE invoices SET ${…}`: columns computed (sql.assignments), so it cannot be told apart from a money write. */
const SQL_COMPUTED_SET = /\bUPDATE\s+"?invoices"?\s+SET\s+\$\{/i;
const PRISMA_WRITES = new Set(["update", "updateMany", "updateManyAndReturn", "upsert", "create", "createMany", "createManyAndReturn"]);

/** Where `source` writes an invoice's money fields: SQL text that updates them, or a Prisma write of the invoice model that sets them. */
export function findInvoiceMoneyWrites(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const where = (node: ts.Node) => `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const setsMoney = (node: ts.Expression | undefined): boolean => {
    if (!node) return false;
    if (ts.isParenthesizedExpression(node)) return setsMoney(node.expression);
    if (ts.isConditionalExpression(node)) return setsMoney(node.whenTrue) || setsMoney(node.whenFalse);
    if (!ts.isObjectLiteralExpression(node)) return true; // not a literal: cannot tell, so it counts
    return node.properties.some((property) =>
      ts.isSpreadAssignment(property) ? setsMoney(property.expression) : property.name !== undefined && MONEY_PROPERTIES.has(property.name.getText(file)),
    );
  };
  const visit = (node: ts.Node) => {
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node) || ts.isTemplateExpression(node)) {
      const text = node.getText(file);
      if (SQL_UPDATE.test(text) && (SQL_MONEY_COLUMN.test(text.slice(text.search(SQL_UPDATE))) || SQL_COMPUTED_SET.test(text)))
        found.push(`${where(node)} SQL updates invoices' money fields`);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && PRISMA_WRITES.has(node.expression.name.text)) {
      const target = node.expression.expression;
      if (ts.isPropertyAccessExpression(target) && target.name.text === "invoice") {
        const [argument] = node.arguments;
        const options = argument && ts.isObjectLiteralExpression(argument) ? argument : undefined;
        const data = (name: string) => {
          const property = options?.properties.find((candidate) => candidate.name?.getText(file) === name);
          return property && ts.isPropertyAssignment(property) ? property.initializer : undefined;
        };
        if (!options || setsMoney(data("data")) || setsMoney(data("update")) || setsMoney(data("create")))
          found.push(`${where(node)} Prisma ${node.expression.name.text} sets invoices' money fields`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("the one owner of invoice balances", () => {
  it("finds the kinds of writes it looks for (checked on examples)", () => {
    expect(findInvoiceMoneyWrites("a.ts", "await tx.invoice.update({ where: { id }, data: { amountDue: 0, status: 'paid' } });")).toHaveLength(1);
    expect(findInvoiceMoneyWrites("a.ts", "await tx.invoice.update({ where: { id }, data: { ...next } });")).toHaveLength(1);
    expect(findInvoiceMoneyWrites("a.ts", "await sql.write(`UPDATE invoices SET amount_paid = $1::int WHERE id = $2`, [a, b]);")).toHaveLength(1);
    expect(findInvoiceMoneyWrites("a.ts", "await tx.$executeRaw`UPDATE invoices SET status = ${s} WHERE id = ${id}`;")).toHaveLength(1);
    expect(findInvoiceMoneyWrites("a.ts", "await runner.write(sql`UPDATE invoices SET ${sql.assignments(changes)} WHERE id = ${id}::uuid`);")).toHaveLength(1);
    expect(findInvoiceMoneyWrites("a.ts", "await runner.write(sql`UPDATE invoices SET disputed = ${flag} WHERE id = ${id}::uuid`);")).toEqual([]);
    expect(findInvoiceMoneyWrites("a.ts", "await tx.invoice.update({ where: { id }, data: { ...(c ? { status } : {}) } });")).toHaveLength(1);
    expect(findInvoiceMoneyWrites("a.ts", "await tx.invoice.update({ where: { id }, data: { sentAt: new Date(), ...(c ? { memo } : {}) } });")).toEqual([]);
    expect(findInvoiceMoneyWrites("a.ts", "await sql.query(`SELECT amount_due FROM invoices WHERE status = 'open'`);")).toEqual([]);
  });

  it("no file but change-invoice-balance.ts writes amount paid, credited, written off, due or status", () => {
    const files = codeFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    const writes = files.filter((file) => file !== OWNER).flatMap((file) => findInvoiceMoneyWrites(file, readFileSync(path.join(ROOT, file), "utf8")));
    expect(writes).toEqual([]);
    expect(findInvoiceMoneyWrites(OWNER, readFileSync(path.join(ROOT, OWNER), "utf8")).length).toBeGreaterThan(0);
  });
});
