import { describe, expect, it } from "vitest";
import { dateTimeFormatter, formatCalendarDate, formatDateTime, formatDay, formatTime, isoInstant } from "./format-date";

const newYork = { timeZone: "America/New_York" };

describe("formatCalendarDate: calendar dates never move", () => {
  it("writes a YYYY-MM-DD as that day in the locale's format", () => {
    expect(formatCalendarDate("2026-12-04")).toBe("Dec 4, 2026");
    expect(formatCalendarDate("2026-12-04", { style: "long" })).toBe("December 4, 2026");
    expect(formatCalendarDate("2026-12-04", { locale: "en-GB" })).toBe("4 Dec 2026");
  });

  it("reads a date column's value (UTC midnight) as the same day, whatever the clinic's zone", () => {
    // A due date of Dec 31 is stored as 2026-12-31T00:00Z; read in New York it would be Dec 30 at 7 PM.
    expect(formatCalendarDate(new Date("2026-12-31T00:00:00Z"))).toBe("Dec 31, 2026");
    expect(formatCalendarDate("2026-01-01")).toBe("Jan 1, 2026");
  });
});

describe("formatDay and formatDateTime: instants on the clinic's clock", () => {
  it("keeps 23:30 on the 31st in the clinic on the 31st (already the 1st in UTC)", () => {
    const lateOnNewYearsEve = new Date("2027-01-01T04:30:00Z"); // 23:30 EST on Dec 31
    expect(formatDay(lateOnNewYearsEve, newYork)).toBe("Dec 31, 2026");
    expect(formatDateTime(lateOnNewYearsEve, newYork)).toBe("Dec 31, 2026, 11:30 PM");
    expect(formatDay(lateOnNewYearsEve, { timeZone: "UTC" })).toBe("Jan 1, 2027");
  });

  it("names the zone, standard or daylight time, when asked", () => {
    expect(formatDateTime("2026-12-04T15:56:45Z", newYork, { zoneName: true })).toBe("Dec 4, 2026, 10:56 AM EST");
    expect(formatDateTime("2026-07-04T15:56:45Z", newYork, { zoneName: true })).toBe("Jul 4, 2026, 11:56 AM EDT");
    expect(formatDateTime("2026-12-04T15:56:45Z", newYork, { zoneName: true, seconds: true })).toBe("Dec 4, 2026, 10:56:45 AM EST");
    expect(formatTime("2026-12-04T15:56:45Z", newYork, { zoneName: true })).toBe("10:56 AM EST");
  });

  it("follows the clocks across a DST change", () => {
    // US DST began 2026-03-08 at 2:00 local: 06:59Z is 1:59 AM EST, 07:00Z is 3:00 AM EDT.
    expect(formatDateTime("2026-03-08T06:59:00Z", newYork, { zoneName: true })).toBe("Mar 8, 2026, 1:59 AM EST");
    expect(formatDateTime("2026-03-08T07:00:00Z", newYork, { zoneName: true })).toBe("Mar 8, 2026, 3:00 AM EDT");
    // It ended 2026-11-01: 1:30 AM happens twice, told apart by the zone's name.
    expect(formatDateTime("2026-11-01T05:30:00Z", newYork, { zoneName: true })).toBe("Nov 1, 2026, 1:30 AM EDT");
    expect(formatDateTime("2026-11-01T06:30:00Z", newYork, { zoneName: true })).toBe("Nov 1, 2026, 1:30 AM EST");
  });

  it("writes the long and full styles for letters and emails", () => {
    expect(formatDateTime("2026-12-04T15:56:45Z", newYork, { style: "full", zoneName: true })).toBe("Friday, December 4, 2026 at 10:56 AM EST");
    expect(formatDay("2026-12-04T15:56:45Z", newYork, { style: "long" })).toBe("December 4, 2026");
  });

  it("takes ISO strings as well as Dates, and gives the exact instant for tooltips", () => {
    expect(dateTimeFormatter(newYork).format("2026-12-04T15:56:45Z")).toBe(formatDateTime(new Date("2026-12-04T15:56:45Z"), newYork));
    expect(isoInstant("2026-12-04T15:56:45Z")).toBe("2026-12-04T15:56:45.000Z");
  });
});
