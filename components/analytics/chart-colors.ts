/**
 * Chart colours: each at least 3:1 against the white card (WCAG 1.4.11 for graphics), and never
 * the only way to tell series apart (legends, labels and the table alternative name them).
 */
export const CHART_COLORS = {
  charges: "oklch(0.49 0.09 187)",
  collections: "oklch(0.52 0.16 265)",
  refunds: "oklch(0.55 0.19 27)",
} as const;

/** Aging buckets from fresh to old: teal through amber to red. */
export const AGING_COLORS = ["oklch(0.55 0.1 187)", "oklch(0.58 0.12 140)", "oklch(0.62 0.14 75)", "oklch(0.56 0.17 45)", "oklch(0.5 0.19 27)"] as const;

export const CHANNEL_COLOR = "oklch(0.49 0.09 187)";
