import { addDays } from "@/lib/invoices/dates";

export type PlanFrequency = "weekly" | "biweekly" | "monthly";

/** One line of a plan's schedule: sequence 0 is the down payment (due the day the plan is created), 1..n the installments. */
export type ScheduledInstallment = { sequence: number; dueDate: string; amount: number };

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The due date of installment `index` (0 = the start date). Monthly plans keep the start date's
 * day of month as their anchor: a day the month lacks (29th–31st) falls on its last day, and the
 * next month returns to the anchor (Jan 31 → Feb 28 → Mar 31), never drifting.
 */
export function installmentDueDate(startDate: string, frequency: PlanFrequency, index: number): string {
  if (frequency === "weekly") return addDays(startDate, 7 * index);
  if (frequency === "biweekly") return addDays(startDate, 14 * index);
  const [year, month, day] = startDate.split("-").map(Number) as [number, number, number];
  const monthIndex = month - 1 + index;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, "0")}-${String(targetMonth).padStart(2, "0")}-${String(targetDay).padStart(2, "0")}`;
}

/**
 * Splits `amount` minor units into `count` equal installments, the remainder on the last one
 * (e.g. 1000 in 3 → 333, 333, 334): every installment is whole minor units and they add up exactly.
 */
export function splitAmount(amount: number, count: number): number[] {
  const base = Math.floor(amount / count);
  const amounts = Array.from({ length: count }, () => base);
  amounts[count - 1] = amount - base * (count - 1);
  return amounts;
}

/** The whole schedule: the down payment (if any) due `today`, then the installments from `startDate`. */
export function buildPlanSchedule(options: {
  totalAmount: number;
  downPaymentAmount: number;
  installmentCount: number;
  frequency: PlanFrequency;
  startDate: string;
  today: string;
  /** Explicit installment amounts (they must add up to total − down payment; the caller checks). */
  installmentAmounts?: number[];
}): ScheduledInstallment[] {
  const amounts = options.installmentAmounts ?? splitAmount(options.totalAmount - options.downPaymentAmount, options.installmentCount);
  const schedule: ScheduledInstallment[] = [];
  if (options.downPaymentAmount > 0) schedule.push({ sequence: 0, dueDate: options.today, amount: options.downPaymentAmount });
  amounts.forEach((amount, index) => {
    schedule.push({ sequence: index + 1, dueDate: installmentDueDate(options.startDate, options.frequency, index), amount });
  });
  return schedule;
}
