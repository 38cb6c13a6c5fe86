import type { ManualPaymentMethod } from "@/lib/payments/manual-payments.types";

/** How the drawer count groups methods: cash, checks, the card terminal, and the rest (bank transfers). */
export const DRAWER_METHODS = ["cash", "check", "card_terminal", "other"] as const;
export type DrawerMethod = (typeof DRAWER_METHODS)[number];

export type EndOfDayPayment = {
  id: string;
  method: ManualPaymentMethod;
  currency: string;
  /** What the clinic keeps, minor units. */
  amount: number;
  /** Cash: what was handed over, and the change given back (minor units); null for other methods. */
  cashTendered: number | null;
  changeGiven: number | null;
  /** Check number or transfer reference. */
  reference: string | null;
  patientName: string | null;
  invoiceNumbers: string[];
  recordedAt: Date;
  recordedById: string | null;
  recordedByName: string;
  voidedAt: Date | null;
  voidReason: string | null;
};

/** One currency's figures for a set of payments (voided ones excluded). */
export type DrawerTotals = {
  currency: string;
  cash: { count: number; tendered: number; change: number; net: number };
  check: { count: number; amount: number };
  cardTerminal: { count: number; amount: number };
  other: { count: number; amount: number };
  total: { count: number; amount: number };
};

export type EndOfDayStaffSection = {
  staffId: string | null;
  staffName: string;
  /** Counted payments, in the order they were recorded. */
  payments: EndOfDayPayment[];
  totals: DrawerTotals[];
};

export type EndOfDayReport = {
  /** The clinic's calendar day (YYYY-MM-DD). */
  date: string;
  staff: EndOfDayStaffSection[];
  /** Every check counted that day, with its number. */
  checks: EndOfDayPayment[];
  /** Payments received that day and voided since: listed, never counted. */
  voided: EndOfDayPayment[];
  totals: DrawerTotals[];
};
