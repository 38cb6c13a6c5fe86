/**
 * The terms a patient accepts to keep a card on file, by version. The text stored with each
 * consent (payment_consents.terms_text) is the version's text with the clinic's name filled in,
 * exactly as shown. A changed wording is a new version; old versions stay here, as they were shown.
 */
export const CONSENT_TERMS = {
  /** The pay page's "save my card" box (the only way to save a card before December 2026). */
  "pay-page-2026-11": (clinic: string) => `Save my card so ${clinic} can charge it for future visits. You can ask the clinic to remove it at any time.`,
  /** A card kept on file for later charges: added at the front desk (staff for the patient present) or from a card link. */
  "card-on-file-2026-12": (clinic: string) =>
    `I authorize ${clinic} to keep this card on file and to charge it, without me present, for future visits, for the installments of any payment plan and for any membership I agree to with ${clinic}. Each charge is for an amount I owe or have agreed to. I can ask ${clinic} to remove this card at any time; removing it stops future charges to it.`,
} as const satisfies Record<string, (clinic: string) => string>;

export type ConsentTermsVersion = keyof typeof CONSENT_TERMS;

/** The version the pay page shows today. */
export const PAY_PAGE_TERMS_VERSION: ConsentTermsVersion = "pay-page-2026-11";

/** The version the front desk and card links show today. */
export const CARD_ON_FILE_TERMS_VERSION: ConsentTermsVersion = "card-on-file-2026-12";

/** The terms text of a version for a clinic, as shown and stored. */
export function consentTermsText(version: ConsentTermsVersion, clinicName: string): string {
  return CONSENT_TERMS[version](clinicName);
}
