"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { MAX_LOGO_BYTES, setOrganizationLogo } from "@/lib/organizations/organization-logo";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZUploadOrganizationLogoInput = z.object({
  /** The file's bytes, base64: a server action's argument is JSON. Checked again by its bytes on the server. */
  dataBase64: z
    .string()
    .max(Math.ceil(MAX_LOGO_BYTES / 3) * 4 + 4, `Use an image of at most ${MAX_LOGO_BYTES / 1024} KB.`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "The file could not be read. Choose it again."),
  /** What the browser says the file is; only used to refuse a mismatch. */
  contentType: z.string().max(100).optional(),
});

/** Admins upload the clinic's logo (PNG or JPEG, at most 512 KB), shown on the pay page, emails and PDFs. */
export const uploadOrganizationLogoAction = authedAction(
  { name: "organization.logo.upload", role: "admin", schema: ZUploadOrganizationLogoInput },
  async (input, auth) => {
    const result = await setOrganizationLogo(await getDb(), {
      organizationId: auth.organization.id,
      actor: auth.actor,
      bytes: Buffer.from(input.dataBase64, "base64"),
      declaredType: input.contentType,
    });
    refreshStaffPages();
    return result;
  },
);
