import { spawnSync } from "node:child_process";

/**
 * The text of a PDF as poppler's `pdftotext -layout` reads it (columns kept on one line), so
 * tests check what a person or a screen reader gets from the file. Needs poppler-utils.
 */
export function extractPdfText(pdf: Uint8Array): string {
  const result = spawnSync("pdftotext", ["-layout", "-enc", "UTF-8", "-", "-"], { input: pdf, encoding: "utf8" });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`pdftotext failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}
