/** CLM01 (the patient control number) for the organization's claim number: CLM-000123. The 277CA and 835 echo it. */
export function formatClaimNumber(number: number): string {
  return `CLM-${String(number).padStart(6, "0")}`;
}

/** The claim number in a CLM01 we wrote, or null for anything else (another system's number, a typo). */
export function parseClaimNumber(text: string): number | null {
  const match = /^CLM-(\d{6,9})$/.exec(text.trim().toUpperCase());
  if (!match) return null;
  const number = Number(match[1]);
  return Number.isSafeInteger(number) && number > 0 ? number : null;
}
