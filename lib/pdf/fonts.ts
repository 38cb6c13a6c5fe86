import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Font } from "@react-pdf/renderer";
import { woffToSfnt } from "./woff-to-sfnt";

/**
 * Inter, read from the installed @fontsource/inter package and embedded in every PDF (no network,
 * no system fonts). Static WOFF files: fontkit cannot subset WOFF2 (its transformed glyph table)
 * nor take weights from @fontsource-variable/inter's variable WOFF2. Latin first; Latin Extended
 * is the per-glyph fallback for names and currency symbols outside Latin-1.
 */
const FONT_DIRECTORY = join(process.cwd(), "node_modules", "@fontsource", "inter", "files");

const WEIGHTS = [400, 600, 700] as const;

const SUBSETS = [
  { family: "Inter", file: "latin" },
  { family: "Inter Latin Extended", file: "latin-ext" },
] as const;

/** Use as `fontFamily` in PDF styles. */
export const PDF_FONT_FAMILY = SUBSETS.map((subset) => subset.family);

/** The font as a data URL of its unwrapped TrueType bytes (see woffToSfnt). */
function loadFont(file: string): string {
  return `data:font/ttf;base64,${woffToSfnt(readFileSync(join(FONT_DIRECTORY, file))).toString("base64")}`;
}

// Registered once, when the module loads; react-pdf parses each file on first use and keeps it.
for (const subset of SUBSETS) {
  Font.register({
    family: subset.family,
    fonts: WEIGHTS.map((fontWeight) => ({ src: loadFont(`inter-${subset.file}-${fontWeight}-normal.woff`), fontWeight })),
  });
}

// Names, descriptions and codes on an invoice must never be split with a hyphen.
Font.registerHyphenationCallback((word) => [word]);
