import type { PdfClinic, PdfPageSize } from "./blocks";

/** Countries that print on US Letter; everyone else gets A4. */
const LETTER_COUNTRIES = new Set(["US", "CA", "MX", "PH", "CL", "CO", "PR"]);

type LetterheadOrganization = {
  name: string;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string;
};

/** What heads every PDF of this clinic (DocumentHeader): its name and address lines, on its country's paper size. */
export function pdfLetterhead(organization: LetterheadOrganization): { pageSize: PdfPageSize; clinic: PdfClinic } {
  const cityLine = [organization.city, [organization.region, organization.postalCode].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return {
    pageSize: LETTER_COUNTRIES.has(organization.country) ? "LETTER" : "A4",
    clinic: {
      name: organization.name,
      addressLines: [organization.addressLine1, organization.addressLine2, cityLine].filter((line): line is string => Boolean(line)),
    },
  };
}
