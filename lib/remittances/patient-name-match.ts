/**
 * Whether the patient an 835 names (NM1*QC, and NM1*IL for the insured) is the claim's patient
 * (docs/remittances.md, "Unmatched and held payments"). CLP01 is our claim number and decides which
 * claim a payment is for; the name is the check that the payer did not pay someone else's claim
 * under it. Payers write names their own way, so only a clear mismatch counts: a different last
 * name and a different first name, or a different last name with nothing else pointing at the
 * same person. Pure: no database.
 */

export type PersonName = { lastName: string; firstName: string | null };

/** same: equal once case, accents, punctuation and spaces are set aside; tolerable: a difference payers make (below); mismatch: not the same person by name. */
export type NameVerdict = "same" | "tolerable" | "mismatch";

/** The unmatched reason of a claim payment refused for its patient's name starts with this. */
export const PATIENT_NAME_MISMATCH = "Patient name mismatch";

// Generational suffixes payers put in the last (or first) name field: never part of the name compared.
const SUFFIXES = new Set(["JR", "SR", "II", "III", "IV", "V", "2ND", "3RD", "4TH"]);
/** A payer that cuts a last name keeps at least this many letters; shorter prefixes are other names (DOE, DOEONE). */
const MIN_TRUNCATED_LAST = 5;
const MIN_TRUNCATED_FIRST = 2;

/** Upper case, accents off (É → E, ß → SS), apostrophes and periods dropped (O'BRIEN → OBRIEN), every other non-letter a space; suffixes dropped. */
export function nameTokens(value: string | null): string[] {
  if (value === null) return [];
  const tokens = value
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .replace(/['’`.]/g, "")
    .split(/[^A-Z0-9]+/)
    .filter((token) => token !== "");
  const kept = tokens.filter((token) => !SUFFIXES.has(token));
  return kept.length > 0 ? kept : tokens;
}

type PartVerdict = "same" | "close" | "different" | "unknown";

const isSubset = (small: readonly string[], large: readonly string[]) =>
  small.length > 0 && small.every((token) => large.includes(token)) && small.some((token) => token.length >= 3);

/** A last name: same (JOINED letters equal: hyphen, space, accents, case), close (one part of a compound or hyphenated name; cut short by the payer), else different. */
function compareLastNames(a: string, b: string): PartVerdict {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return "unknown";
  const ja = ta.join("");
  const jb = tb.join("");
  if (ja === jb) return "same";
  if (isSubset(ta, tb) || isSubset(tb, ta)) return "close";
  const [shorter, longer] = ja.length <= jb.length ? [ja, jb] : [jb, ja];
  if (shorter.length >= MIN_TRUNCATED_LAST && longer.startsWith(shorter)) return "close";
  return "different";
}

/** A first name: same, close (an initial only; cut short: CHRIS for CHRISTOPHER; a middle name added: MARY ANN), different, or unknown when either side has none. */
function compareFirstNames(a: string | null, b: string | null): PartVerdict {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return "unknown";
  const ja = ta.join("");
  const jb = tb.join("");
  if (ja === jb) return "same";
  const fa = ta[0]!;
  const fb = tb[0]!;
  if ((fa.length === 1 || fb.length === 1) && fa[0] === fb[0]) return "close";
  const [shorter, longer] = fa.length <= fb.length ? [fa, fb] : [fb, fa];
  if (shorter.length >= MIN_TRUNCATED_FIRST && longer.startsWith(shorter)) return "close";
  if (isSubset(ta, tb) || isSubset(tb, ta)) return "close";
  return "different";
}

/**
 * The payer's name for a person against ours. The last name decides: the same or close (a part of
 * a compound name, cut short) → same or tolerable, whatever the first name (a payer may hold a
 * nickname). A different last name is tolerated only when the first name is the same (not only an
 * initial) and the member id the payer sent is the coverage's (a name changed by marriage);
 * otherwise it is a mismatch. `memberIdMatches`: null when the 835 sent no member id.
 */
export function comparePersonNames(payer: PersonName, ours: PersonName, options: { memberIdMatches: boolean | null } = { memberIdMatches: null }): NameVerdict {
  const last = compareLastNames(payer.lastName, ours.lastName);
  const first = compareFirstNames(payer.firstName, ours.firstName);
  if (last === "unknown") return "tolerable";
  if (last === "same") return first === "same" ? "same" : "tolerable";
  if (last === "close") return "tolerable";
  return first === "same" && options.memberIdMatches === true ? "tolerable" : "mismatch";
}

/** A member id as compared: letters and digits only, upper case. */
export const normalizeMemberId = (value: string | null) => (value ?? "").toUpperCase().replace(/[^A-Z0-9]/g, "");

/** "DOE, JANE" (the stored form of NM1*QC) as a name; a value without a comma is all last name. */
export function parseStoredName(value: string): PersonName {
  const comma = value.indexOf(",");
  if (comma < 0) return { lastName: value.trim(), firstName: null };
  const firstName = value.slice(comma + 1).trim();
  return { lastName: value.slice(0, comma).trim(), firstName: firstName === "" ? null : firstName };
}

/** A name as the 835 writes it, for messages: "DOE, JANE". */
export const formatPayerName = (name: PersonName) => [name.lastName, name.firstName].filter(Boolean).join(", ");
