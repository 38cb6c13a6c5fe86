import { describe, expect, it } from "vitest";
import { emptyVisitValues, fromServerErrors, liveErrors, liveTotal, toChargesInput, valuesFromClaim, type ChargesFormValues } from "./charges-form-model";
import { claimProblemHref } from "./claim-format";

const TODAY = "2026-03-10";

function visit(overrides: Partial<ChargesFormValues> = {}): ChargesFormValues {
  return {
    ...emptyVisitValues(TODAY, "11"),
    diagnoses: [
      { key: "d0", code: "e11.9" },
      { key: "d1", code: "I10" },
    ],
    lines: [
      { key: "l0", procedureCode: "99213", modifiers: "25, gt", description: " Office visit ", units: "1", charge: "135.00", pointers: ["d1", "d0"] },
      { key: "l1", procedureCode: "36415", modifiers: "", description: "", units: "1.5", charge: "$20", pointers: ["d0"] },
    ],
    ...overrides,
  };
}

describe("the charges form's model", () => {
  it("turns the form into the action's input: codes normalized, pointers as positions in pointer order, money in cents", () => {
    expect(toChargesInput(visit(), "USD", { today: TODAY, withServiceDate: true })).toEqual({
      ok: true,
      input: {
        serviceDate: TODAY,
        placeOfService: "11",
        diagnoses: ["E11.9", "I10"],
        lines: [
          { procedureCode: "99213", modifiers: ["25", "GT"], description: "Office visit", units: 1, chargeAmount: 13_500, diagnosisPointers: [2, 1] },
          { procedureCode: "36415", modifiers: [], units: 1.5, chargeAmount: 2_000, diagnosisPointers: [1] },
        ],
      },
    });
    expect(liveTotal(visit(), "USD")).toBe(15_500);
  });

  it("a removed diagnosis leaves its pointer pointing to nothing (never moved onto another diagnosis), said on the line", () => {
    const values = visit({ diagnoses: [{ key: "d0", code: "E11.9" }] });
    expect(liveErrors(values, "USD", new Set())).toEqual({ "lines.0.diagnosisPointers": expect.stringMatching(/points to a diagnosis that was removed/) });
    const parsed = toChargesInput(values, "USD", { today: TODAY, withServiceDate: true });
    expect(parsed).toEqual({ ok: false, errors: { "lines.0.diagnosisPointers": expect.stringMatching(/removed/) } });
  });

  it("names every problem by field: future date, ICD-9 and repeated codes, bad CPT, modifiers, units, charge, no pointer", () => {
    const values = visit({
      serviceDate: "2026-03-11",
      diagnoses: [
        { key: "d0", code: "250.00" },
        { key: "d1", code: "I10" },
        { key: "d2", code: "i10" },
      ],
      lines: [{ key: "l0", procedureCode: "9921", modifiers: "25 25", description: "", units: "0", charge: "1.234", pointers: [] }],
    });
    const parsed = toChargesInput(values, "USD", { today: TODAY, withServiceDate: true });
    if (parsed.ok) throw new Error("expected problems");
    expect(Object.keys(parsed.errors).sort()).toEqual(
      [
        "serviceDate",
        "diagnoses.0",
        "diagnoses.2",
        "lines.0.procedureCode",
        "lines.0.modifiers",
        "lines.0.units",
        "lines.0.chargeAmount",
        "lines.0.diagnosisPointers",
      ].sort(),
    );
    expect(parsed.errors["diagnoses.0"]).toMatch(/ICD-9/);
    expect(parsed.errors["diagnoses.2"]).toBe("I10 is listed twice.");
    // While typing, a code is judged only once its row was left (touched).
    expect(liveErrors(values, "USD", new Set())["diagnoses.0"]).toBeUndefined();
    expect(liveErrors(values, "USD", new Set(["d0"]))["diagnoses.0"]).toMatch(/ICD-9/);
  });

  it("puts the server's field paths on the form's fields (charges → lines, deeper paths on their field) and keeps the rest", () => {
    expect(
      fromServerErrors({
        "charges.0.diagnosisPointers.1": ["Pointer 2 names no diagnosis."],
        "diagnoses.3": ["Bad code."],
        serviceDate: ["In the future."],
        patientId: ["The patient is archived."],
      }),
    ).toEqual({
      errors: { "lines.0.diagnosisPointers": "Pointer 2 names no diagnosis.", "diagnoses.3": "Bad code.", serviceDate: "In the future." },
      other: ["The patient is archived."],
    });
  });

  it("a line's own rendering provider goes to the form and back; the claim's or visit's (empty) is left out", () => {
    const values = valuesFromClaim(
      {
        serviceDate: TODAY,
        placeOfService: "11",
        renderingProvider: { id: "ana" },
        diagnoses: ["E11.9"],
        payerClaimNumber: null,
        lines: [
          {
            procedureCode: "99213",
            modifiers: [],
            description: null,
            units: 1,
            chargeAmount: 9_000,
            diagnosisPointers: [1],
            serviceDate: TODAY,
            renderingProviderId: null,
          },
          {
            procedureCode: "97110",
            modifiers: [],
            description: null,
            units: 1,
            chargeAmount: 4_000,
            diagnosisPointers: [1],
            serviceDate: TODAY,
            renderingProviderId: "chen",
          },
        ],
      },
      "USD",
    );
    expect(values.lines.map((line) => line.renderingProviderId)).toEqual([undefined, "chen"]);
    const parsed = toChargesInput(values, "USD", { today: TODAY, withServiceDate: false });
    if (!parsed.ok) throw new Error("expected the input");
    expect(parsed.input.renderingProviderId).toBe("ana");
    expect(parsed.input.lines.map((line) => line.renderingProviderId)).toEqual([undefined, "chen"]);
    expect(fromServerErrors({ "lines.1.renderingProviderId": ["Choose one of the clinic's rendering providers."] }).errors).toEqual({
      "lines.1.renderingProviderId": "Choose one of the clinic's rendering providers.",
    });
  });

  it("a saved claim's pointer to no diagnosis stays visible as one", () => {
    const values = valuesFromClaim(
      {
        serviceDate: TODAY,
        placeOfService: "11",
        renderingProvider: null,
        diagnoses: ["E11.9"],
        payerClaimNumber: null,
        lines: [{ procedureCode: "99213", modifiers: [], description: null, units: 1, chargeAmount: 9_000, diagnosisPointers: [1, 2], serviceDate: TODAY }],
      },
      "USD",
    );
    expect(values.lines[0]).toMatchObject({ charge: "90.00", pointers: ["d0", "missing-0-2"], serviceDate: TODAY });
    expect(liveErrors(values, "USD", new Set())["lines.0.diagnosisPointers"]).toMatch(/removed/);
  });
});

describe("where a claim's problem is fixed", () => {
  const claim = { id: "c1", patient: { id: "p1" }, payer: { id: "y1" }, lines: { length: 2 } };
  it.each([
    ["practice.npi", "/app/settings/practice"],
    ["payer.payerId", "/app/settings/payers"],
    ["subscriber.birthDate", "/app/patients/p1#insurance"],
    ["memberId", "/app/patients/p1#insurance"],
    ["patient.sex", "/app/patients/p1/edit"],
    ["lines.1.diagnosisPointers.0", "/app/claims/c1/edit#line-l1-pointers"],
    ["lines.0.serviceDate", "/app/patients/p1#insurance"],
    ["lines.0.units", "/app/claims/c1/edit#line-l0-units"],
    ["lines.1.renderingProviderId", "/app/claims/c1/edit#line-l1-renderingProviderId"],
    ["lines.1.renderingProvider.npi", "/app/settings/practice"],
    ["diagnoses.2", "/app/claims/c1/edit#diagnosis-d2"],
    ["placeOfService", "/app/claims/c1/edit#visit-place"],
  ])("%s → %s", (path, href) => {
    expect(claimProblemHref({ path, message: "…" }, claim)).toBe(href);
  });
});
