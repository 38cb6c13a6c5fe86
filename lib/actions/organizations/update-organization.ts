"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { updateOrganization, ZUpdateOrganizationInput } from "@/lib/organizations/update-organization";
import { refreshStaffPages } from "../refresh-staff-pages";

/** The clinic's name, address and time zone show across the staff area. */
export const updateOrganizationAction = authedAction({ name: "organization.update", role: "admin", schema: ZUpdateOrganizationInput }, async (input, auth) => {
  await updateOrganization(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  refreshStaffPages();
});
