"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { importClearinghouseFile, ZImportClearinghouseFileInput } from "@/lib/clearinghouse/import-file";

/** Imports a 999, 277CA, 271 or 835 downloaded from the clearinghouse's portal; a refused file changes nothing. */
export const importClearinghouseFileAction = authedAction(
  { name: "clearinghouse.import", role: "billing", schema: ZImportClearinghouseFileInput },
  async ({ fileName, content }, auth) => {
    const result = await importClearinghouseFile(await getDb(), {
      organizationId: auth.organization.id,
      actor: auth.actor,
      fileName,
      content,
      source: "upload",
    });
    // Claims, their patients and coverages (a 271's benefits) may all have moved.
    revalidatePath("/app", "layout");
    return result;
  },
);
