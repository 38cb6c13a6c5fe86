"use server";

import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { authedAction } from "@/lib/http/action";
import { chargeSavedCard, chargeSavedCardPrepayment, ZChargeSavedCardInput, ZChargeSavedCardPrepaymentInput } from "@/lib/payments/charge-saved-card";
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

/** "Saved card" on "Collect estimate": the card on file charged for no invoice; the amount becomes the patient's credit. */
export const chargeSavedCardPrepaymentAction = authedAction(
  { name: "payment.charge_saved_card_prepayment", role: "billing", schema: ZChargeSavedCardPrepaymentInput },
  async (input, auth) => {
    const result = await chargeSavedCardPrepayment(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
    await requestEmailDelivery();
    refreshStaffPages();
    return result;
  },
);
