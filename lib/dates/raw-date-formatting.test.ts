import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "@/tests/source-files";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Every date a person reads goes through lib/dates/format-date.ts (the clinic's time zone, one
 * locale format, calendar dates never shifted). This finds the ways around it: a hand-built
 * Intl.DateTimeFormat, Date#toLocale*String, and ISO text cut to a day (`toISOString().slice`).
 */
export function findRawDateFormatting(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const where = (node: ts.Node) => `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.getText(file) === "Intl.DateTimeFormat") {
      found.push(`${where(node)} new Intl.DateTimeFormat`);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (method === "DateTimeFormat" && node.expression.expression.getText(file) === "Intl") found.push(`${where(node)} Intl.DateTimeFormat()`);
      if (/^toLocale(Date|Time)?String$/.test(method) || method === "toDateString" || method === "toUTCString") found.push(`${where(node)} ${method}()`);
      if (method === "slice" || method === "substring" || method === "substr") {
        const receiver = node.expression.expression;
        if (ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression) && receiver.expression.name.text === "toISOString") {
          found.push(`${where(node)} toISOString().${method}()`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * What people read: pages and components (app/ but its route handlers, which answer machines in
 * ISO), PDFs, the mailbox, and every lib file that writes an email.
 */
function filesPeopleRead(): string[] {
  const ui = ["app", "components", "lib/pdf", "lib/email"]
    .flatMap((folder) => sourceFiles(path.join(ROOT, folder)))
    .filter((file) => !file.startsWith(path.join(ROOT, "app/api/")) && path.basename(file) !== "route.ts");
  const emailWriters = sourceFiles(path.join(ROOT, "lib")).filter((file) => /INSERT INTO emails|\.email\.create(Many)?\(/.test(readFileSync(file, "utf8")));
  return [...new Set([...ui, ...emailWriters])];
}

describe("dates people read are formatted in one place", () => {
  it("finds the raw formatting it looks for (checked on examples)", () => {
    expect(findRawDateFormatting("a.tsx", `const f = new Intl.DateTimeFormat("en-US", { dateStyle: "medium" });`)).toHaveLength(1);
    expect(findRawDateFormatting("a.ts", "const due = invoice.dueDate?.toISOString().slice(0, 10);")).toHaveLength(1);
    expect(findRawDateFormatting("a.ts", "const when = payment.createdAt.toLocaleString();")).toHaveLength(1);
    expect(findRawDateFormatting("a.ts", "const when = payment.createdAt.toLocaleDateString('en-US');")).toHaveLength(1);
    expect(findRawDateFormatting("a.ts", "const when = formatDateTime(payment.createdAt, { timeZone });")).toEqual([]);
    expect(findRawDateFormatting("a.ts", "const iso = payment.createdAt.toISOString();")).toEqual([]);
  });

  it("no page, component, PDF or email formats a date by hand", () => {
    const files = filesPeopleRead();
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((file) => file.endsWith(path.join("lib", "invoices", "send-invoice.ts")))).toBe(true);
    const found = files.flatMap((file) => findRawDateFormatting(path.relative(ROOT, file), readFileSync(file, "utf8")));
    expect(found).toEqual([]);
  });
});
