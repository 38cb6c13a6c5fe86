import { describe, expect, it } from "vitest";
import { formatPhone, normalizePhone, phoneHref, toE164 } from "./phone";

describe("phone numbers", () => {
  it("normalizes what people type to E.164, reading numbers without a country code in the clinic's country (US by default)", () => {
    for (const typed of ["(503) 555-0142", "503-555-0142", "503.555.0142", "5035550142", "+1 503 555 0142", " 1 (503) 555 0142 "]) {
      expect(toE164(typed)).toBe("+15035550142");
    }
    expect(toE164("020 7946 0958", "GB")).toBe("+442079460958");
    expect(toE164("+44 20 7946 0958")).toBe("+442079460958");
  });

  it("finds no E.164 for what is not a valid number, and keeps it as typed when storing", () => {
    expect(toE164("555-0100")).toBeNull();
    expect(toE164("call me")).toBeNull();
    expect(normalizePhone(" 555-0100 ")).toBe("555-0100");
    expect(normalizePhone("(503) 555-0142")).toBe("+15035550142");
  });

  it("formats for people: national at home, international abroad, untouched when invalid", () => {
    expect(formatPhone("+15035550142")).toBe("(503) 555-0142");
    expect(formatPhone("+442079460958")).toBe("+44 20 7946 0958");
    expect(formatPhone("+442079460958", "GB")).toBe("020 7946 0958");
    expect(formatPhone("+15035550142", "GB")).toBe("+1 503 555 0142");
    expect(formatPhone("ext. 12")).toBe("ext. 12");
    expect(phoneHref("(503) 555-0142")).toBe("tel:+15035550142");
    expect(phoneHref("555-0100")).toBeNull();
  });
});
