import type { Metadata } from "next";
import { postalAddressFields } from "@/lib/addresses/postal-address";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { SUPPORTED_CURRENCIES, SUPPORTED_TIME_ZONES } from "@/lib/organizations/update-organization";
import { MAX_LOGO_BYTES, organizationLogoPath } from "@/lib/organizations/organization-logo";
import { formatPhone } from "@/lib/validation/phone";
import { LogoForm } from "@/components/settings/logo-form";
import { OrganizationForm } from "@/components/settings/organization-form";

export const metadata: Metadata = { title: "Organization settings" };

export default async function OrganizationSettingsPage() {
  const auth = await requirePageAuth("admin");
  const organization = await (
    await getDb()
  ).organization.findUniqueOrThrow({
    where: { id: auth.organization.id },
    include: { logo: { select: { sha256: true } } },
  });
  return (
    <div className="grid gap-6">
      <OrganizationForm
        organization={{
          name: organization.name,
          ...postalAddressFields(organization),
          currency: organization.currency,
          timezone: organization.timezone,
          phone: organization.phone ? formatPhone(organization.phone, organization.country) : "",
          email: organization.email ?? "",
          website: organization.website ?? "",
          cardCaptureMethod: organization.cardCaptureMethod,
          autoApplyCredit: organization.autoApplyCredit,
        }}
        currencies={SUPPORTED_CURRENCIES}
        timeZones={SUPPORTED_TIME_ZONES}
      />
      <LogoForm
        clinicName={organization.name}
        logoPath={organization.logo ? organizationLogoPath(organization.id, organization.logo.sha256) : null}
        maxBytes={MAX_LOGO_BYTES}
      />
    </div>
  );
}
