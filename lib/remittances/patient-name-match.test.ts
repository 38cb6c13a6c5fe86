import { describe, expect, it } from "vitest";
import { comparePersonNames, nameTokens, normalizeMemberId, parseStoredName, type NameVerdict } from "./patient-name-match";

type Case = [payer: string, ours: string, memberIdMatches: boolean | null, expected: NameVerdict];

// "LAST, FIRST" on both sides, as the 835 and the unmatched queue write names.
const CASES: Case[] = [
  ["DOE, JANE", "Doe, Jane", null, "same"],
  ["DOE, JANE", "DOE, JANE", true, "same"],
  ["MUNOZ, JOSE", "Muñoz, José", null, "same"],
  ["OBRIEN, SEAN", "O'Brien, Seán", null, "same"],
  ["SMITH JONES, ANNA", "Smith-Jones, Anna", null, "same"],
  ["MCDONALD, RONALD", "Mc Donald, Ronald", null, "same"],
  ["DOE JR, JOHN", "Doe, John", null, "same"],
  ["DOE, JOHN", "Doe III, John", null, "same"],
  ["STRASSE, GRETA", "Straße, Greta", null, "same"],
  ["JEANBAPTISTE, JEANPAUL", "Jean-Baptiste, Jean-Paul", null, "same"],
  // Tolerable: what payers do to names.
  ["GARCIA, MARIA", "García López, María", null, "tolerable"],
  ["LOPEZ, MARIA", "García-López, María", null, "tolerable"],
  ["WOLFESCHLEGEL, HUBERT", "Wolfeschlegelsteinhausen, Hubert", null, "tolerable"],
  ["DOE, J", "Doe, Jane", null, "tolerable"],
  ["DOE, JANE", "Doe, J", null, "tolerable"],
  ["DOE, CHRIS", "Doe, Christopher", null, "tolerable"],
  ["DOE, MARY ANN", "Doe, Mary", null, "tolerable"],
  ["DOE", "Doe, Jane", null, "tolerable"],
  ["DOE, ROBERT", "Doe, Bob", null, "tolerable"],
  ["SMITH, JANE", "Doe, Jane", true, "tolerable"],
  // Mismatch: another person.
  ["SMITH, JOHN", "Doe, Jane", null, "mismatch"],
  ["SMITH, JOHN", "Doe, Jane", true, "mismatch"],
  ["SMITH, JANE", "Doe, Jane", null, "mismatch"],
  ["SMITH, JANE", "Doe, Jane", false, "mismatch"],
  ["SMITH, J", "Doe, Jane", true, "mismatch"],
  ["SMITH", "Doe, Jane", null, "mismatch"],
  ["DOEONE, JANE", "Doe, Jane", null, "mismatch"],
  ["SMIT, JOHN", "Smith, John", null, "mismatch"],
];

describe("comparePersonNames", () => {
  it.each(CASES)("payer %s against ours %s (member id matches: %s) → %s", (payer, ours, memberIdMatches, expected) => {
    expect(comparePersonNames(parseStoredName(payer), parseStoredName(ours), { memberIdMatches })).toBe(expected);
  });

  it("reads names without the member id as not sent", () => {
    expect(comparePersonNames({ lastName: "SMITH", firstName: "JANE" }, { lastName: "Doe", firstName: "Jane" })).toBe("mismatch");
  });
});

describe("name helpers", () => {
  it("tokens: accents, case, apostrophes, hyphens and suffixes", () => {
    expect(nameTokens("D'Angelo-Núñez Jr.")).toEqual(["DANGELO", "NUNEZ"]);
    expect(nameTokens("  ")).toEqual([]);
    expect(nameTokens(null)).toEqual([]);
    // A name that is only a suffix-like word is kept.
    expect(nameTokens("V")).toEqual(["V"]);
  });

  it("member ids compare on letters and digits", () => {
    expect(normalizeMemberId("xyz-1234 56")).toBe("XYZ123456");
    expect(normalizeMemberId(null)).toBe("");
  });

  it("parses the stored LAST, FIRST", () => {
    expect(parseStoredName("DOE, JANE")).toEqual({ lastName: "DOE", firstName: "JANE" });
    expect(parseStoredName("DOE")).toEqual({ lastName: "DOE", firstName: null });
    expect(parseStoredName("DOE, ")).toEqual({ lastName: "DOE", firstName: null });
  });
});
