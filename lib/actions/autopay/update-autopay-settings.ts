"use server";

import { updateAutopaySettings, ZUpdateAutopaySettingsInput } from "@/lib/autopay/update-autopay-settings";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { refreshStaffPages } from "../refresh-staff-pages";

/** Admins only: saves the clinic's autopay rules (audited); billing staff and viewers only read them. */
export const updateAutopaySettingsAction = authedAction(
  { name: "autopay_settings.update", role: "admin", schema: ZUpdateAutopaySettingsInput },
  async (input, auth) => {
    const result = await updateAutopaySettings(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
    refreshStaffPages();
    return { changed: result.changed };
  },
);
