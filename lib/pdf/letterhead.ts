import { postalAddressLines, type PostalAddress } from "@/lib/addresses/postal-address";
import { clinicWebsite, contactLine } from "@/lib/organizations/clinic-contact";
import { formatPhone } from "@/lib/validation/phone";
import type { PdfClinic, PdfPageSize } from "./blocks";

/** Countries that print on US Letter; everyone else gets A4. */
const LETTER_COUNTRIES = new Set(["US", "CA", "MX", "PH", "CL", "CO", "PR"]);

type LetterheadOrganization = PostalAddress & {
  name: string;
  phone: string | null;
  email: string | null;
  website: string | null;
  /** The stored logo (organization_logos), PNG or JPEG; left out when not loaded. */
  logo?: { contentType: string; data: Uint8Array } | null;
};

/**
 * What heads every PDF of this clinic (DocumentHeader): its logo, name, address lines and how to
 * reach it (phone · email · website), on its country's paper size.
 */
export function pdfLetterhead(organization: LetterheadOrganization): { pageSize: PdfPageSize; clinic: PdfClinic } {
  const reach = contactLine({
    phone: organization.phone ? { display: formatPhone(organization.phone, organization.country), href: null } : null,
    email: organization.email,
    website: clinicWebsite(organization.website),
  });
  const logo = organization.logo;
  return {
    pageSize: LETTER_COUNTRIES.has(organization.country) ? "LETTER" : "A4",
    clinic: {
      name: organization.name,
      addressLines: postalAddressLines(organization),
      contactLines: reach ? [reach] : [],
      ...(logo ? { logo: { data: Buffer.from(logo.data), format: logo.contentType === "image/png" ? ("png" as const) : ("jpg" as const) } } : {}),
    },
  };
}
