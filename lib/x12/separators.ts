/**
 * The four delimiters of an X12 interchange. Carebill writes the ones most clearinghouses and the
 * implementation guides' own examples use; a reader takes whatever the ISA segment declares.
 */
export type X12Separators = {
  /** Ends every segment (the character after ISA16). */
  segment: string;
  /** Between elements (the 4th character of the interchange). */
  element: string;
  /** Between the components of a composite element (ISA16). */
  component: string;
  /** Between repeats of a repeating element (ISA11 from version 00501 on). */
  repetition: string;
};

/** `~` `*` `:` `^`: the de facto defaults, so files read the same in every tool and by eye. */
export const CAREBILL_SEPARATORS: X12Separators = Object.freeze({ segment: "~", element: "*", component: ":", repetition: "^" });

/** The separators as a list, for checking that a value contains none of them. */
export function separatorCharacters(separators: X12Separators): string[] {
  return [separators.segment, separators.element, separators.component, separators.repetition];
}

/** A problem with a set of separators (each one character, all different, not a letter or digit or space), or null. */
export function describeSeparatorProblem(separators: X12Separators): string | null {
  const entries = Object.entries(separators) as [keyof X12Separators, string][];
  for (const [name, character] of entries) {
    if (character.length !== 1) return `The ${name} separator must be one character; it is "${character}".`;
    if (/[A-Za-z0-9 ]/.test(character)) return `The ${name} separator "${character}" is a letter, digit or space, which data uses.`;
  }
  const characters = entries.map(([, character]) => character);
  const repeated = characters.find((character, index) => characters.indexOf(character) !== index);
  return repeated === undefined ? null : `The separator "${repeated}" is declared for two purposes.`;
}

/** Characters that files use as separators, tried when a value reads wrong at the declared one. */
const LIKELY_SEPARATORS = [":", ">", "^", "|", "\\", "!", "<", "}", "~", "*"];

/**
 * When a composite's first component should be one of `codes` but is not, and cutting the value at
 * another separator-like character gives one of them, the file was most likely written with another
 * component separator than ISA16 declares. Returns the sentence that says so (starting with the
 * value in quotes), or null. Readers report it instead of guessing which separator was meant.
 */
export function describeComponentSeparatorSlip(value: string, codes: readonly string[], componentSeparator: string): string | null {
  const other = LIKELY_SEPARATORS.find(
    (character) => character !== componentSeparator && value.includes(character) && codes.includes(value.split(character)[0] ?? ""),
  );
  return other
    ? `"${value}"; the interchange declares "${componentSeparator}" as its component separator (ISA16), but this looks written with "${other}".`
    : null;
}
