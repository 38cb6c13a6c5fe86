const counts = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A count people read, with thousands separators: "1,000 claim payments". */
export function formatCount(value: number): string {
  return counts.format(value);
}
