import type { Metadata } from "next";
import { updateAutopaySettingsAction } from "@/lib/actions/autopay/update-autopay-settings";
import { hasRole } from "@/lib/auth/roles";
import { requirePageAuth } from "@/lib/auth/session";
import { getAutopaySettings } from "@/lib/autopay/get-autopay-settings";
import { getDb } from "@/lib/db/client";
import { toDecimalString } from "@/lib/money/currency";
import { AutopaySettingsForm } from "@/components/settings/autopay-settings-form";

export const metadata: Metadata = { title: "Autopay settings" };

/** Everyone in the clinic may read the autopay rules (billing staff explain them to patients); admins change them. */
export default async function AutopaySettingsPage() {
  const auth = await requirePageAuth("viewer");
  const settings = await getAutopaySettings(await getDb(), auth.organization.id);
  const currency = auth.organization.currency;
  return (
    <AutopaySettingsForm
      values={{
        retryDays: settings.retryDays.join(", "),
        afterLastFailure: settings.afterLastFailure,
        reminderDaysBefore: settings.reminderDaysBefore,
        maxPlanAmount: settings.maxPlanAmount === null ? "" : toDecimalString(settings.maxPlanAmount, currency),
        chargeHour: settings.chargeHour,
      }}
      currency={currency}
      timeZone={settings.timezone}
      canEdit={hasRole(auth.role, "admin")}
      save={updateAutopaySettingsAction}
    />
  );
}
