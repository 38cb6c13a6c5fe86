"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { removeOrganizationLogo } from "@/lib/organizations/organization-logo";
import { refreshStaffPages } from "../refresh-staff-pages";

/** Admins remove the clinic's logo; documents and pages show the clinic's name alone again. */
export const removeOrganizationLogoAction = authedAction({ name: "organization.logo.remove", role: "admin", schema: z.object({}) }, async (_input, auth) => {
  await removeOrganizationLogo(await getDb(), { organizationId: auth.organization.id, actor: auth.actor });
  refreshStaffPages();
});
