import { z } from "zod";
import "@/lib/validation/fields";
import type { PostalAddressView } from "./insurance.types";
import { zX12Text } from "./identifier-schemas";

/** US states, DC, territories and military post codes (the codes a claim's N4 carries). */
export const US_STATE_CODES: ReadonlySet<string> = new Set(
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP AA AE AP".split(
    " ",
  ),
);

/** A US state code, upper-cased; anything else is refused with the field named. */
export const ZUsState = z
  .string()
  .trim()
  .toUpperCase()
  .refine((value) => US_STATE_CODES.has(value), "Enter the state's two-letter code, such as OR.");

/** A ZIP code typed as 97201, 97201-1234 or 972011234; stored as digits (5 or 9). */
export const ZZipCode = z
  .string()
  .trim()
  .transform((value) => value.replace(/[\s-]/g, ""))
  .refine((value) => /^\d{5}(\d{4})?$/.test(value), "Enter a 5-digit ZIP code, or ZIP+4 (97201-1234).");

/** ZIP+4 only (the 837P requires the +4 for the billing provider's address); stored as 9 digits. */
export const ZZipPlus4 = z
  .string()
  .trim()
  .transform((value) => value.replace(/[\s-]/g, ""))
  .refine((value) => /^\d{9}$/.test(value), "Enter the ZIP+4 (9 digits, such as 97201-1234): claims need the +4 for the billing address.");

/**
 * A US postal address as insurance records carry it (X12 text: no separators, at most the lengths
 * of an N3/N4). `zipPlus4` demands the 9-digit ZIP (the practice's billing address).
 */
export function zPostalAddressInput(options: { zipPlus4?: boolean } = {}) {
  return z.strictObject({
    line1: zX12Text(55),
    line2: z
      .union([z.literal("").transform(() => null), zX12Text(55)])
      .nullable()
      .optional(),
    city: zX12Text(30),
    state: ZUsState,
    postalCode: options.zipPlus4 ? ZZipPlus4 : ZZipCode,
  });
}
export type TPostalAddressInput = z.input<ReturnType<typeof zPostalAddressInput>>;

/** The stored columns → the view (postal code kept as digits). */
export function toPostalAddressView(row: {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
}): PostalAddressView | null {
  if (!row.line1 || !row.city || !row.state || !row.postalCode) return null;
  return { line1: row.line1, line2: row.line2, city: row.city, state: row.state, postalCode: row.postalCode };
}

/** "97201" or "97201-1234", as people write it. */
export function formatZipCode(digits: string): string {
  return digits.length === 9 ? `${digits.slice(0, 5)}-${digits.slice(5)}` : digits;
}
