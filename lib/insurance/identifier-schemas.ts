import { z } from "zod";
import "@/lib/validation/fields";
import {
  checkEin,
  checkIcd10Cm,
  checkModifiers,
  checkNpi,
  checkPlaceOfService,
  checkProcedureCode,
  checkTaxonomyCode,
  checkX12Text,
  type IdentifierCheck,
} from "./identifiers";

/**
 * zod schemas for forms and the API, built on the checks in ./identifiers so that every boundary
 * reports the same sentence. Each parses to the normalized value (digits only, capitals, no dot).
 */
function zChecked(check: (input: string) => IdentifierCheck) {
  return z.string().transform((input, context) => {
    const result = check(input);
    if (result.ok) return result.value;
    context.addIssue({ code: "custom", message: result.message, input });
    return z.NEVER;
  });
}

export const ZNpi = zChecked(checkNpi);
export const ZEin = zChecked(checkEin);
export const ZIcd10Cm = zChecked(checkIcd10Cm);
export const ZProcedureCode = zChecked(checkProcedureCode);
export const ZTaxonomyCode = zChecked(checkTaxonomyCode);
export const ZPlaceOfService = zChecked(checkPlaceOfService);

/** Up to four modifiers of one service line (each 2 letters or digits, none twice). */
export const ZModifiers = z.array(z.string()).transform((inputs, context) => {
  const result = checkModifiers(inputs);
  if (result.ok) return result.value;
  context.addIssue({ code: "custom", message: result.message, input: inputs });
  return z.NEVER;
});

/** Text an X12 element can carry (no separators, printable ASCII after dropping accents), at most maxLength long. */
export function zX12Text(maxLength: number) {
  return zChecked((input) => checkX12Text(input, { maxLength }));
}
