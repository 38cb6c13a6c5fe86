import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "@/tests/source-files";
import { JOURNAL_KIND_FIGURES, LEDGER_FIGURE_RULES, type LedgerFigure } from "./ledger-figures";

/** Files that post or reverse journals, with their source. */
const postingFiles = sourceFiles("lib")
  .map((file) => ({ file, source: readFileSync(file, "utf8") }))
  .filter(({ source }) => /\b(postJournals?|reverseJournal)\(/.test(source) && !source.includes("export async function postJournals"));

/** The journal kinds written as literals in those files (`kind: "invoice.finalized"`); other `kind`s there have no dot. */
function literalKinds(): Set<string> {
  const kinds = new Set<string>();
  for (const { source } of postingFiles) for (const match of source.matchAll(/kind: "([a-z_]+(?:\.[a-z_]+)+)"/g)) kinds.add(match[1]!);
  return kinds;
}

describe("journal kinds", () => {
  it("every kind posted anywhere in lib is classified into the analytics figures, and every classified kind is posted", () => {
    const posted = literalKinds();
    // Reversals named after the journal they reverse: only void-manual-payment.ts does that, for a
    // manual payment's journals (the payment and, on a written-off invoice, its recovery).
    const templated = postingFiles.filter(({ source }) => /kind: `\$\{[^}]+\}\.voided`/.test(source)).map(({ file }) => file);
    expect(templated).toEqual(["lib/payments/void-manual-payment.ts"]);
    for (const kind of ["payment.manual", "payment.write_off_recovered"]) {
      expect(posted).toContain(kind);
      posted.add(`${kind}.voided`);
    }
    expect(posted.size).toBeGreaterThan(15);
    const unclassified = [...posted].filter((kind) => !(kind in JOURNAL_KIND_FIGURES));
    expect(unclassified).toEqual([]);
    const stale = Object.keys(JOURNAL_KIND_FIGURES).filter((kind) => !posted.has(kind));
    expect(stale).toEqual([]);
  });

  it("the classification and the figure rules agree: a kind listed under a figure is one the figure's rule reads, and the other way round", () => {
    for (const [kind, figures] of Object.entries(JOURNAL_KIND_FIGURES)) {
      for (const figure of Object.keys(LEDGER_FIGURE_RULES) as LedgerFigure[]) {
        const rule = LEDGER_FIGURE_RULES[figure];
        expect({ kind, figure, read: (rule.kinds as readonly string[]).includes(kind) }).toEqual({
          kind,
          figure,
          read: (figures as readonly string[]).includes(figure),
        });
      }
    }
  });
});
