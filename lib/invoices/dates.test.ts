import { describe, expect, it } from "vitest";
import { startOfDayIn } from "./dates";

describe("startOfDayIn", () => {
  it("gives the instant a day starts in the clinic's zone, across daylight-saving changes", () => {
    expect(startOfDayIn("2026-07-01", "America/New_York").toISOString()).toBe("2026-07-01T04:00:00.000Z");
    expect(startOfDayIn("2026-12-01", "America/New_York").toISOString()).toBe("2026-12-01T05:00:00.000Z");
    // Clocks go back at 02:00 that day; midnight is still daylight time.
    expect(startOfDayIn("2026-11-01", "America/New_York").toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(startOfDayIn("2026-11-01", "Asia/Tokyo").toISOString()).toBe("2026-10-31T15:00:00.000Z");
    expect(startOfDayIn("2026-11-01", "UTC").toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });
});
