import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

/**
 * Phone numbers: stored in E.164 ("+15035550142") when libphonenumber-js finds them valid, and
 * written for people in one way (formatPhone): nationally for the clinic's own country
 * ("(503) 555-0142"), internationally otherwise ("+44 20 7946 0958"). The organization's
 * country is the default for numbers typed without a country code (US when unknown).
 */

export const DEFAULT_PHONE_COUNTRY = "US";

function asCountry(country: string | null | undefined): CountryCode {
  return (country?.toUpperCase() || DEFAULT_PHONE_COUNTRY) as CountryCode;
}

function parse(value: string, defaultCountry?: string | null) {
  try {
    return parsePhoneNumberFromString(value, asCountry(defaultCountry));
  } catch {
    return undefined;
  }
}

/** E.164 for a valid number ("+15035550142"), null otherwise. */
export function toE164(value: string, defaultCountry?: string | null): string | null {
  const phone = parse(value.trim(), defaultCountry);
  return phone?.isValid() ? phone.number : null;
}

/** What to store: E.164 when valid, else the number as typed (trimmed), so nothing a person entered is lost. */
export function normalizePhone(value: string, defaultCountry?: string | null): string {
  return toE164(value, defaultCountry) ?? value.trim();
}

/** A phone number as people read it: "(503) 555-0142" at home, "+44 20 7946 0958" abroad; as stored when it is not a valid number. */
export function formatPhone(value: string, defaultCountry?: string | null): string {
  const phone = parse(value.trim(), defaultCountry);
  if (!phone?.isValid()) return value.trim();
  return phone.country === asCountry(defaultCountry) ? phone.formatNational() : phone.formatInternational();
}

/** A tel: link for a valid number, null otherwise. */
export function phoneHref(value: string, defaultCountry?: string | null): string | null {
  const e164 = toE164(value, defaultCountry);
  return e164 ? `tel:${e164}` : null;
}
