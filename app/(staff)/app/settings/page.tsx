import type { Metadata } from "next";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { SUPPORTED_CURRENCIES, SUPPORTED_TIME_ZONES } from "@/lib/organizations/update-organization";
import { OrganizationForm } from "@/components/settings/organization-form";

export const metadata: Metadata = { title: "Organization settings" };

export default async function OrganizationSettingsPage() {
  const auth = await requirePageAuth("admin");
  const organization = await (await getDb()).organization.findUniqueOrThrow({ where: { id: auth.organization.id } });
  return (
    <OrganizationForm
      organization={{
        name: organization.name,
        addressLine1: organization.addressLine1 ?? "",
        addressLine2: organization.addressLine2 ?? "",
        city: organization.city ?? "",
        region: organization.region ?? "",
        postalCode: organization.postalCode ?? "",
        country: organization.country,
        currency: organization.currency,
        timezone: organization.timezone,
        cardCaptureMethod: organization.cardCaptureMethod,
        autoApplyCredit: organization.autoApplyCredit,
      }}
      currencies={SUPPORTED_CURRENCIES}
      timeZones={SUPPORTED_TIME_ZONES}
    />
  );
}
