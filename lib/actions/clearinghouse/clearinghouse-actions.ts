"use server";

import { revalidatePath } from "next/cache";
import { importClearinghouseFile, ZImportClearinghouseFileInput } from "@/lib/clearinghouse/import-file";
import { saveClearinghouseSettings, ZClearinghouseSettingsInput } from "@/lib/clearinghouse/settings";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { refreshStaffPages } from "../refresh-staff-pages";

/** Admins only: the clearinghouse's ids and how files travel; the SFTP key is stored encrypted and never read back. */
export const saveClearinghouseSettingsAction = authedAction(
  { name: "clearinghouse_settings.save", role: "admin", schema: ZClearinghouseSettingsInput },
  async (input, auth) => {
    await saveClearinghouseSettings(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
    revalidatePath("/app/settings/clearinghouse");
    return { saved: true };
  },
);

/**
 * Billing staff and admins import a file from the clearinghouse's portal (999, 277CA, 271, 835): all
 * of it is applied or nothing (a malformed file, another submitter's, one already imported: 422).
 */
export const importClearinghouseFileAction = authedAction(
  { name: "clearinghouse_file.import", role: "billing", schema: ZImportClearinghouseFileInput },
  async ({ fileName, content }, auth) => {
    const result = await importClearinghouseFile(await getDb(), {
      organizationId: auth.organization.id,
      actor: auth.actor,
      fileName,
      content,
      source: "upload",
    });
    // Claims, coverages' benefits and eligibility checks may all have moved.
    refreshStaffPages();
    return result;
  },
);
