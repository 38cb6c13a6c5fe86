import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkStructure, type X12Problem } from "./check-structure";
import { parseLoopMap, type MapLoop } from "./loop-map";

const sample = (name: string) =>
  readFileSync(
    fileURLToPath(new URL(`./__fixtures__/imsweb/samples/837_5010__${name.startsWith("x223") ? name : `x12_${name}`}.txt`, import.meta.url)),
    "utf8",
  );
const loopMap = parseLoopMap(readFileSync(fileURLToPath(new URL("./__fixtures__/imsweb/mapping/837.5010.X222.A1.xml", import.meta.url)), "utf8"));
const messagesOf = (problems: X12Problem[], kinds: X12Problem["kind"][]) =>
  problems.filter((problem) => kinds.includes(problem.kind)).map((problem) => problem.message);

describe("the loop map", () => {
  it("reads loops, repeats, requiredness and qualifiers from the imsweb XML", () => {
    const find = (id: string, loop: MapLoop = loopMap): MapLoop | undefined => {
      if (loop.id === id) return loop;
      for (const child of loop.children) {
        const found = child.kind === "loop" ? find(id, child) : undefined;
        if (found) return found;
      }
      return undefined;
    };
    const claim = find("2300");
    expect(claim).toMatchObject({ usage: "S", repeat: 100 });
    expect(find("2400")).toMatchObject({ usage: "R", repeat: 50 });
    expect(find("2000A")).toMatchObject({ repeat: Infinity });
    const hl = find("2000C")?.children[0];
    expect(hl).toMatchObject({ kind: "segment", id: "HL", qualifier: { position: 3, component: null, codes: ["23"] } });
    const hi = claim?.children.find((child) => child.kind === "segment" && child.id === "HI");
    expect(hi).toMatchObject({ usage: "R", maxElements: 12, qualifier: { position: 1, component: 1, codes: ["ABK", "BK"] } });
  });
});

describe("checkStructure on the imsweb samples", () => {
  // imsweb's "valid" files are valid in loops and segments (what its reader checks) but carry
  // envelope and element slips its reader ignores: SE01 is 25 in all of them, HL ids repeat, and
  // HI writes BK*8901 where a composite BK:8901 belongs. The checker finds exactly those.
  for (const name of ["valid", "valid_different_separators", "no_errors", "writer_test", "ambiguous_loop", "multiple_gs", "multiple_isa", "multiple_st"]) {
    it(`${name}: no loop or segment problems`, () => {
      const problems = checkStructure(sample(name), loopMap);
      expect(messagesOf(problems, ["file", "loop", "segment"])).toEqual([]);
      expect(messagesOf(problems, ["envelope"]).length).toBeGreaterThan(0);
      expect(
        messagesOf(problems, ["envelope"]).every(
          (message) => message.startsWith("SE01 says") || message.startsWith("GE01 says") || message.startsWith("IEA01 says"),
        ),
      ).toBe(true);
    });
  }

  it("valid: the slips are the SE01 count, the HL ids and the HI composites", () => {
    const problems = checkStructure(sample("valid"), loopMap);
    expect(messagesOf(problems, ["envelope", "hierarchy"])).toEqual([
      "HL01 is 2 where 3 comes next (HL ids count up from 1 in each transaction set).",
      "HL 2 names parent 3, which is not an earlier HL.",
      "SE01 says transaction set 987654 has 25 segments; it has 34 (ST to SE).",
    ]);
    expect(messagesOf(problems, ["element"])).toContain('HI in loop 2300: HI02-01 (Diagnosis Type Code) is "8901", not one of ABF, BF.');
  });

  it("reads the separators each file declares (~ ^ _ in valid_different_separators) to the same result", () => {
    expect(checkStructure(sample("valid_different_separators"), loopMap)).toEqual(checkStructure(sample("valid"), loopMap));
  });

  it("bad_first_line: a misaligned ISA is reported, not guessed around", () => {
    expect(checkStructure(sample("bad_first_line"), loopMap)).toEqual([
      {
        kind: "file",
        message:
          'ISA02 (authorization information) must be exactly 10 characters wide; it is 9 ("         "). The ISA segment is fixed-width, so its separators cannot be trusted.',
      },
    ]);
  });

  it("no_isa_line: not an interchange", () => {
    expect(messagesOf(checkStructure(sample("no_isa_line"), loopMap), ["file"])).toEqual([
      'This is not an X12 interchange: it must start with an ISA segment, and it starts with "GS*HC*SENDER CODE*RE".',
    ]);
  });

  it("loop_errors1 and loop_errors2: 2010AA over its one repeat", () => {
    for (const name of ["loop_errors1_exceeds_max_1_parent", "loop_errors2_exceeds_max_repeats_multiple_parents"]) {
      expect(messagesOf(checkStructure(sample(name), loopMap), ["loop", "segment"])).toEqual([
        "Loop 2010AA (Billing Provider Name) appears too many times in 2000A: at most 1, this is #2.",
      ]);
    }
  });

  it("loop_errors3 and missing_required_loop_in_one_repeat: a required loop missing", () => {
    expect(messagesOf(checkStructure(sample("loop_errors3_missing_loops"), loopMap), ["loop", "segment"])).toEqual([
      "Loop 2010AA (Billing Provider Name) is required but not found in loop 2000A that starts at segment 8.",
    ]);
    expect(messagesOf(checkStructure(sample("missing_required_loop_in_one_repeat"), loopMap), ["loop", "segment"])).toEqual([
      "Loop 2010BA (Subscriber Name) is required but not found in loop 2000B that starts at segment 18.",
    ]);
  });

  it("missing_required_loops_mult_repeats: 2400 missing in two claims, their stray lines reported once each", () => {
    expect(messagesOf(checkStructure(sample("missing_required_loops_mult_repeats"), loopMap), ["loop", "segment"])).toEqual([
      "Loop 2400 (Service Line Number) is required but not found in loop 2300 that starts at segment 31.",
      "SV1 (segment 33) does not fit loop 2300 or the loops around it. The 1 segment(s) after it, up to segment 34, fit nowhere either.",
      "Loop 2400 (Service Line Number) is required but not found in loop 2300 that starts at segment 57.",
      "SV1 (segment 59) does not fit loop 2300 or the loops around it. The 1 segment(s) after it, up to segment 60, fit nowhere either.",
    ]);
  });

  it("segment_errors: a required segment missing, one repeated too often", () => {
    expect(messagesOf(checkStructure(sample("segment_errors"), loopMap), ["loop", "segment"])).toEqual([
      "REF in loop 2010AA appears too many times: at most 1.",
      "N3 (Billing Provider Address) in loop 2010AA is required but not found.",
      "HI (Health Care Diagnosis Code) in loop 2300 is required but not found.",
    ]);
  });

  it("segments_out_of_order: N4 after REF, N3 after N4", () => {
    expect(messagesOf(checkStructure(sample("segments_out_of_order"), loopMap), ["loop", "segment"])).toEqual([
      "N4 in loop 2010AA is out of order: it must come before REF.",
      "N3 in loop 2010AB is out of order: it must come before N4.",
    ]);
  });

  it("bad_segment_identifier: unreadable ids and what their absence leaves missing", () => {
    expect(messagesOf(checkStructure(sample("bad_segment_identifier"), loopMap), ["loop", "segment"])).toEqual([
      "segment 6 (no segment id) has no valid segment id, in loop 1000A or the loops around it.",
      "PER (Submitter EDI Contact Information) in loop 1000A is required but not found.",
      "Nd4 (segment 11) has no valid segment id, in loop 2010AA or the loops around it.",
      "N4 (Billing Provider City, State, ZIP Code) in loop 2010AA is required but not found.",
      "Loop 2010BA (Subscriber Name) is required but not found in loop 2000B that starts at segment 18.",
      "NM31 (segment 20) has no valid segment id, in loop 2000B or the loops around it.",
    ]);
  });

  it("bad_valid_code: NM1*117 starts no loop, so 2010AA is missing", () => {
    expect(messagesOf(checkStructure(sample("bad_valid_code"), loopMap), ["loop", "segment"])).toEqual([
      "Loop 2010AA (Billing Provider Name) is required but not found in loop 2000A that starts at segment 8.",
      "NM1 (segment 9) does not fit loop 2000A or the loops around it. The 5 segment(s) after it, up to segment 14, fit nowhere either.",
    ]);
  });

  it("missing_elements: required elements named", () => {
    expect(
      messagesOf(checkStructure(sample("missing_elements"), loopMap), ["loop", "segment", "element"]).filter((message) => !message.startsWith("HI in loop")),
    ).toEqual([
      "NM1 in loop 1000B is missing required element NM102 (Entity Type Qualifier).",
      "CLM in loop 2300 is missing required element CLM05 (Health Care Service Location Information).",
    ]);
  });

  it("x223 (an institutional 837I) is refused against the professional map", () => {
    const messages = messagesOf(checkStructure(sample("x223-test"), loopMap), ["element", "segment"]);
    expect(messages).toContain('GS in loop GS_LOOP: GS08 (Version / Release / Industry Identifier Code) is "005010X223A2", not one of 005010X222A1.');
    expect(messages).toContain("SV2 (segment 47) does not fit loop 2400 or the loops around it.");
  });
});

describe("checkStructure on edits of a good file", () => {
  const good = sample("writer_test").replace("SE*25*", "SE*31*");

  it("a good file has no envelope problems once SE01 is right", () => {
    expect(messagesOf(checkStructure(good, loopMap), ["envelope", "hierarchy", "loop", "segment"])).toEqual([]);
  });

  it("reports envelope counts and control numbers that disagree, and missing trailers", () => {
    const broken = good.replace("SE*31*987654", "SE*30*987655").replace("GE*1*1", "GE*2*7").replace("IEA*1*000000905", "IEA*2*000000906");
    expect(messagesOf(checkStructure(broken, loopMap), ["envelope"])).toEqual([
      "SE01 says transaction set 987654 has 30 segments; it has 31 (ST to SE).",
      "SE02 (987655) does not match ST02 (987654).",
      "GE01 says group 1 has 2 transaction sets; it has 1.",
      "GE02 (7) does not match GS06 (1).",
      "IEA01 says the interchange has 2 functional groups; it has 1.",
      "IEA02 (000000906) does not match ISA13 (000000905).",
    ]);
    expect(messagesOf(checkStructure(good.replace(/IEA\*[^~]*~/, ""), loopMap), ["envelope"])).toEqual(["Interchange 000000905 has no IEA trailer."]);
  });

  it("reports a segment with more elements than the map defines", () => {
    expect(
      messagesOf(checkStructure(good.replace("N3*123 MAIN STREET*APARTMENT 9~", "N3*123 MAIN STREET*APARTMENT 9*EXTRA~"), loopMap), ["element"]),
    ).toContain("N3 in loop 2010BA has 3 elements; the map defines 2.");
  });

  it("says when values look written with another component separator than ISA16 declares", () => {
    const problems = checkStructure(good.replace("SV1*HC:99211:25*", "SV1*HC>99211>25*"), loopMap);
    expect(messagesOf(problems, ["segment"])).toContain(
      'SV1 (segment 30) does not fit loop 2400: SV101 reads "HC>99211>25"; the interchange declares ":" as its component separator (ISA16), but this looks written with ">".',
    );
  });

  it("never throws, whatever is cut from or inserted into a file (property test)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(40), fc.string({ maxLength: 6 }), (start, length, insert) => {
        const from = start % good.length;
        const problems = checkStructure(good.slice(0, from) + insert + good.slice(from + length), loopMap);
        expect(Array.isArray(problems)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on garbage", () => {
    for (const text of ["", "hello", "ISA*00*", "ISA" + "*".repeat(200)]) {
      expect(checkStructure(text, loopMap)[0]?.kind).toBe("file");
    }
  });
});

describe("checkStructure against another map (835)", () => {
  it('reports the README\'s quirk: ISA16 declares ":" but SVC is written with ">" (linuxforhealth cob-contractural-adjustment.835)', () => {
    const map835 = parseLoopMap(readFileSync(fileURLToPath(new URL("./__fixtures__/imsweb/mapping/835.5010.X221.A1.xml", import.meta.url)), "utf8"));
    const text = readFileSync(fileURLToPath(new URL("./__fixtures__/linuxforhealth/835/cob-contractural-adjustment.835", import.meta.url)), "utf8");
    expect(messagesOf(checkStructure(text, map835), ["segment"])).toContain(
      'SVC (segment 21) does not fit loop 2100: SVC01 reads "HC>55669"; the interchange declares ":" as its component separator (ISA16), but this looks written with ">". The 1 segment(s) after it, up to segment 22, fit nowhere either.',
    );
  });
});
