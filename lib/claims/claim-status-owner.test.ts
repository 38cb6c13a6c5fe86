import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { codeFiles } from "@/tests/source-files";

/*
 * lib/claims/transition-claim.ts is the only writer of a claim's state (status, and the columns
 * that go with a state): every other module asks it, so the state machine cannot be bypassed.
 * lib/claims/claim-receivable.ts is, the same way, the only writer of a claim's money totals
 * (charged total, paid, contractual, patient responsibility, written off), which must move with
 * their journals, and lib/ledger/post-journal.ts of its insurance balance (which moves with every
 * insurance-receivable journal line). This finds the ways around them in the source: a Prisma
 * write of those fields on `claim`, or SQL that updates them in `claims`.
 */

const ROOT = path.resolve(__dirname, "../..");
const OWNER = "lib/claims/transition-claim.ts";
const STATE = {
  properties: new Set(["status", "submittedAt", "acknowledgedAt", "rejectionReasons"]),
  columns: /\b"?(status|submitted_at|acknowledged_at|rejection_reasons)"?\s*=/i,
};
const MONEY_OWNER = "lib/claims/claim-receivable.ts";
const MONEY = {
  properties: new Set(["chargedTotal", "insurancePaid", "contractualAdjusted", "patientResponsibility", "writtenOff"]),
  columns: /\b"?(charged_total|insurance_paid|contractual_adjusted|patient_responsibility|written_off)"?\s*=/i,
};
const BALANCE_OWNER = "lib/ledger/post-journal.ts";
const BALANCE = { properties: new Set(["insuranceBalance"]), columns: /\b"?insurance_balance"?\s*=/i };
const SQL_UPDATE = /\bUPDATE\s+"?claims"?\s/i;
const PRISMA_WRITES = new Set(["update", "updateMany", "updateManyAndReturn", "upsert", "create", "createMany", "createManyAndReturn"]);

export function findClaimStateWrites(fileName: string, source: string, watched: { properties: Set<string>; columns: RegExp } = STATE): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const where = (node: ts.Node) => `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const setsState = (node: ts.Expression | undefined): boolean => {
    if (!node) return false;
    if (ts.isParenthesizedExpression(node)) return setsState(node.expression);
    if (ts.isConditionalExpression(node)) return setsState(node.whenTrue) || setsState(node.whenFalse);
    if (ts.isArrayLiteralExpression(node)) return node.elements.some((element) => setsState(element as ts.Expression));
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "map") {
      const callback = node.arguments[0];
      if (callback && ts.isArrowFunction(callback) && !ts.isBlock(callback.body)) return setsState(callback.body);
    }
    if (!ts.isObjectLiteralExpression(node)) return true; // not a literal: cannot tell, so it counts
    return node.properties.some((property) =>
      ts.isSpreadAssignment(property) ? setsState(property.expression) : property.name !== undefined && watched.properties.has(property.name.getText(file)),
    );
  };
  const visit = (node: ts.Node) => {
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node) || ts.isTemplateExpression(node)) {
      const text = node.getText(file);
      if (SQL_UPDATE.test(text) && watched.columns.test(text.slice(text.search(SQL_UPDATE)))) found.push(`${where(node)} SQL updates a claim's state`);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && PRISMA_WRITES.has(node.expression.name.text)) {
      const target = node.expression.expression;
      if (ts.isPropertyAccessExpression(target) && target.name.text === "claim") {
        const [argument] = node.arguments;
        const options = argument && ts.isObjectLiteralExpression(argument) ? argument : undefined;
        const data = (name: string) => {
          const property = options?.properties.find((candidate) => candidate.name?.getText(file) === name);
          return property && ts.isPropertyAssignment(property) ? property.initializer : undefined;
        };
        if (!options || setsState(data("data")) || setsState(data("update")) || setsState(data("create")))
          found.push(`${where(node)} Prisma ${node.expression.name.text} sets a claim's state`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("the one writer of a claim's state", () => {
  it("finds the kinds of writes it looks for (checked on examples)", () => {
    expect(findClaimStateWrites("a.ts", "await tx.claim.update({ where: { id }, data: { status: 'ready' } });")).toHaveLength(1);
    expect(findClaimStateWrites("a.ts", "await tx.claim.updateMany({ where: { id }, data: { ...changes } });")).toHaveLength(1);
    expect(findClaimStateWrites("a.ts", "await tx.claim.create({ data: { number, status: 'submitted' } });")).toHaveLength(1);
    expect(findClaimStateWrites("a.ts", "await runner.write(sql`UPDATE claims SET status = ${to} WHERE id = ${id}::uuid`);")).toHaveLength(1);
    expect(findClaimStateWrites("a.ts", "await tx.claim.update({ where: { id }, data: { problems: found, diagnoses } });")).toEqual([]);
    expect(findClaimStateWrites("a.ts", "await tx.claimLine.update({ where: { id }, data: { status: 'x' } });")).toEqual([]);
    expect(findClaimStateWrites("a.ts", "await runner.query(sql`SELECT status FROM claims WHERE id = ${id}::uuid FOR UPDATE`);")).toEqual([]);
  });

  it("no file but transition-claim.ts writes a claim's status, submittedAt, acknowledgedAt or rejection reasons", () => {
    const files = codeFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    const writes = files.filter((file) => file !== OWNER).flatMap((file) => findClaimStateWrites(file, readFileSync(path.join(ROOT, file), "utf8")));
    expect(writes).toEqual([]);
    expect(findClaimStateWrites(OWNER, readFileSync(path.join(ROOT, OWNER), "utf8")).length).toBeGreaterThan(0);
  });

  it("no file but post-journal.ts writes a claim's insurance balance", () => {
    expect(findClaimStateWrites("a.ts", "await tx.claim.update({ where: { id }, data: { insuranceBalance: 0 } });", BALANCE)).toHaveLength(1);
    const writes = codeFiles(ROOT)
      .filter((file) => file !== BALANCE_OWNER)
      .flatMap((file) => findClaimStateWrites(file, readFileSync(path.join(ROOT, file), "utf8"), BALANCE));
    expect(writes).toEqual([]);
    expect(findClaimStateWrites(BALANCE_OWNER, readFileSync(path.join(ROOT, BALANCE_OWNER), "utf8"), BALANCE).length).toBeGreaterThan(0);
  });

  it("no file but claim-receivable.ts writes a claim's money totals", () => {
    expect(findClaimStateWrites("a.ts", "await tx.claim.update({ where: { id }, data: { insurancePaid: 0 } });", MONEY)).toHaveLength(1);
    expect(findClaimStateWrites("a.ts", "await runner.write(sql`UPDATE claims SET charged_total = ${total} WHERE id = ${id}::uuid`);", MONEY)).toHaveLength(1);
    expect(findClaimStateWrites("a.ts", "await tx.claim.update({ where: { id }, data: { status: 'ready' } });", MONEY)).toEqual([]);
    const writes = codeFiles(ROOT)
      .filter((file) => file !== MONEY_OWNER)
      .flatMap((file) => findClaimStateWrites(file, readFileSync(path.join(ROOT, file), "utf8"), MONEY));
    expect(writes).toEqual([]);
    expect(findClaimStateWrites(MONEY_OWNER, readFileSync(path.join(ROOT, MONEY_OWNER), "utf8"), MONEY).length).toBeGreaterThan(0);
  });
});
