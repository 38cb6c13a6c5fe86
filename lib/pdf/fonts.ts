import { join } from "node:path";
import { Font } from "@react-pdf/renderer";

/**
 * Inter from the installed @fontsource-variable/inter package: one variable WOFF2 per script
 * subset, with each weight taken as a named instance (fontkit re-encodes the glyphs at that
 * weight when the PDF embeds them). Latin first; Latin Extended is the fallback for names and
 * currency symbols outside Latin-1.
 */
const FONT_DIRECTORY = join(process.cwd(), "node_modules", "@fontsource-variable", "inter", "files");

const WEIGHTS = [{ fontWeight: 400 }] as const;

const SUBSETS = [
  { family: "Inter", file: "inter-latin-wght-normal.woff2" },
  { family: "Inter Latin Extended", file: "inter-latin-ext-wght-normal.woff2" },
] as const;

/** Use as `fontFamily` in PDF styles: Inter, falling back per glyph to its Latin Extended subset. */
export const PDF_FONT_FAMILY = SUBSETS.map((subset) => subset.family);

// Registered once when the module loads; react-pdf keeps each parsed font for later renders.
for (const subset of SUBSETS) {
  Font.register({
    family: subset.family,
    fonts: WEIGHTS.map((weight) => ({ src: join(FONT_DIRECTORY, subset.file), ...weight })),
  });
}

// Invoice text (names, descriptions, codes) must never be split with a hyphen.
Font.registerHyphenationCallback((word) => [word]);
