import type { Db, Tx } from "@/lib/db/client";
import { postalAddressLines, type PostalAddress } from "@/lib/addresses/postal-address";
import { formatPhone, phoneHref } from "@/lib/validation/phone";
import { organizationLogoPath } from "./organization-logo";

/** How patients reach the clinic, ready to show: on the pay page and its error pages, emails, PDFs and receipts. */
export type ClinicContact = {
  name: string;
  addressLines: string[];
  /** "(503) 555-0142" and its tel: link. */
  phone: { display: string; href: string | null } | null;
  email: string | null;
  /** "sunriseclinic.com" and its https URL. */
  website: { display: string; href: string } | null;
  /** The logo's URL path (/api/organizations/…/logo?v=…), null without a logo. */
  logoPath: string | null;
};

export type ContactOrganization = PostalAddress & {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  website: string | null;
  logo?: { sha256: string } | null;
};

/** The Prisma `select` that gives a ContactOrganization. */
export const CONTACT_ORGANIZATION_SELECT = {
  id: true,
  name: true,
  addressLine1: true,
  addressLine2: true,
  city: true,
  region: true,
  postalCode: true,
  country: true,
  phone: true,
  email: true,
  website: true,
  logo: { select: { sha256: true } },
} as const;

/** The clinic's website as shown ("sunriseclinic.com") and linked (its https URL). */
export function clinicWebsite(website: string | null): ClinicContact["website"] {
  return website ? { href: website, display: website.replace(/^https:\/\/(www\.)?/i, "").replace(/\/$/, "") } : null;
}

export function clinicContact(organization: ContactOrganization): ClinicContact {
  return {
    name: organization.name,
    addressLines: postalAddressLines(organization),
    phone: organization.phone
      ? { display: formatPhone(organization.phone, organization.country), href: phoneHref(organization.phone, organization.country) }
      : null,
    email: organization.email,
    website: clinicWebsite(organization.website),
    logoPath: organization.logo ? organizationLogoPath(organization.id, organization.logo.sha256) : null,
  };
}

/** Loads an organization's ClinicContact; null when there is no such organization. */
export async function getClinicContact(db: Db | Tx, organizationId: string): Promise<ClinicContact | null> {
  const organization = await db.organization.findUnique({ where: { id: organizationId }, select: CONTACT_ORGANIZATION_SELECT });
  return organization ? clinicContact(organization) : null;
}

/** "(503) 555-0142 · billing@sunrise.example · sunrise.example": the ways to reach the clinic, on one line. */
export function contactLine(contact: Pick<ClinicContact, "phone" | "email" | "website">): string {
  return [contact.phone?.display, contact.email, contact.website?.display].filter(Boolean).join(" · ");
}

/**
 * How to reach the clinic in a sentence's end: "call Sunrise Family Clinic at (503) 555-0142 or
 * email billing@sunrise.example", falling back to what is known ("contact Sunrise Family Clinic").
 */
export function howToReach(contact: ClinicContact): string {
  if (contact.phone && contact.email) return `call ${contact.name} at ${contact.phone.display} or email ${contact.email}`;
  if (contact.phone) return `call ${contact.name} at ${contact.phone.display}`;
  if (contact.email) return `email ${contact.name} at ${contact.email}`;
  return `contact ${contact.name}`;
}
