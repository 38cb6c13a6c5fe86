"use server";

import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { authedAction } from "@/lib/http/action";
import { chargeSavedCard, ZChargeSavedCardInput } from "@/lib/payments/charge-saved-card";
import { refreshStaffPages } from "../refresh-staff-pages";

export const chargeSavedCardAction = authedAction(
  { name: "payment.charge_saved_card", role: "billing", schema: ZChargeSavedCardInput },
  async (input, auth) => {
    const result = await chargeSavedCard(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
    await requestEmailDelivery();
    refreshStaffPages();
    return result;
  },
);
