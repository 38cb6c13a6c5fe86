import { describe, expect, it } from "vitest";
import { buildPlanSchedule, installmentDueDate, splitAmount } from "./plan-schedule";

describe("plan schedule", () => {
  it("puts the remainder on the last installment and always adds up", () => {
    expect(splitAmount(1000, 3)).toEqual([333, 333, 334]);
    expect(splitAmount(60_000, 6)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    for (const [amount, count] of [
      [1, 1],
      [99_999, 60],
      [12_345, 7],
    ] as const) {
      const parts = splitAmount(amount, count);
      expect(parts).toHaveLength(count);
      expect(parts.reduce((sum, part) => sum + part, 0)).toBe(amount);
      expect(parts.every((part) => Number.isInteger(part))).toBe(true);
    }
  });

  it("keeps a 31st anchor through short months: the month's last day, then back to the 31st", () => {
    const dates = Array.from({ length: 5 }, (_, index) => installmentDueDate("2027-01-31", "monthly", index));
    expect(dates).toEqual(["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]);
    expect(installmentDueDate("2028-01-30", "monthly", 1)).toBe("2028-02-29");
    expect(installmentDueDate("2026-11-30", "monthly", 3)).toBe("2027-02-28");
    expect(installmentDueDate("2026-12-15", "monthly", 1)).toBe("2027-01-15");
  });

  it("spaces weekly and biweekly installments by 7 and 14 days", () => {
    expect(installmentDueDate("2026-12-28", "weekly", 1)).toBe("2027-01-04");
    expect(installmentDueDate("2026-12-28", "biweekly", 2)).toBe("2027-01-25");
  });

  it("charges the down payment today and the installments from the start date", () => {
    const schedule = buildPlanSchedule({
      totalAmount: 60_000,
      downPaymentAmount: 10_000,
      installmentCount: 5,
      frequency: "monthly",
      startDate: "2027-01-10",
      today: "2026-12-10",
    });
    expect(schedule.map((line) => [line.sequence, line.dueDate, line.amount])).toEqual([
      [0, "2026-12-10", 10_000],
      [1, "2027-01-10", 10_000],
      [2, "2027-02-10", 10_000],
      [3, "2027-03-10", 10_000],
      [4, "2027-04-10", 10_000],
      [5, "2027-05-10", 10_000],
    ]);
  });
});
