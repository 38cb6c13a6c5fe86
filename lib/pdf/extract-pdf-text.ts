import { spawnSync } from "node:child_process";

/**
 * The text of a PDF as poppler's `pdftotext` reads it, so tests check what a person, a search
 * or a screen reader gets from the file. `layout` keeps columns on one line and leaves out
 * diagonal text (the DRAFT/VOID watermark); `raw` gives every string in drawing order. Needs
 * poppler-utils.
 */
export function extractPdfText(pdf: Uint8Array, mode: "layout" | "raw" = "layout"): string {
  const modeArguments = mode === "layout" ? ["-layout", "-nodiag"] : ["-raw"];
  const result = spawnSync("pdftotext", [...modeArguments, "-enc", "UTF-8", "-", "-"], { input: pdf, encoding: "utf8" });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`pdftotext failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}
