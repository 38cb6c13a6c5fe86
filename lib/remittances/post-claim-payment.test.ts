import { describe, expect, it } from "vitest";
import { patientShareReason, serviceInSentence } from "./post-claim-payment";

describe("serviceInSentence: a service's description after “Coinsurance — ” on a patient's statement", () => {
  it("lowercases the first letter of an ordinary capitalised first word and keeps the rest as written", () => {
    expect(serviceInSentence("Office visit")).toBe("office visit");
    expect(serviceInSentence("Hemoglobin A1c")).toBe("hemoglobin A1c");
    expect(serviceInSentence("Blood draw (venipuncture)")).toBe("blood draw (venipuncture)");
    expect(serviceInSentence("X-ray, chest, two views")).toBe("x-ray, chest, two views");
    expect(serviceInSentence("  Flu shot ")).toBe("flu shot");
    expect(serviceInSentence("Éclair test")).toBe("éclair test");
  });

  it("keeps acronyms, codes and mixed-case words whole", () => {
    expect(serviceInSentence("MRI brain without contrast")).toBe("MRI brain without contrast");
    expect(serviceInSentence("HbA1c")).toBe("HbA1c");
    expect(serviceInSentence("B12 injection")).toBe("B12 injection");
    expect(serviceInSentence("COVID-19 test")).toBe("COVID-19 test");
    expect(serviceInSentence("ECG interpretation")).toBe("ECG interpretation");
  });

  it("an already lowercase or empty description", () => {
    expect(serviceInSentence("office visit")).toBe("office visit");
    expect(serviceInSentence("")).toBe("service");
    expect(serviceInSentence("   ")).toBe("service");
  });

  it("on a statement line", () => {
    expect(`${patientShareReason("PR", "2")} — ${serviceInSentence("Hemoglobin A1c")} 83036 on 2026-11-02`).toBe(
      "Coinsurance — hemoglobin A1c 83036 on 2026-11-02",
    );
  });
});
