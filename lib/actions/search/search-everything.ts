"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { searchEverything } from "@/lib/search/global-search";
import { ZGlobalSearchInput } from "@/lib/search/global-search.types";

/** The header's global search; anyone who can read the lists (viewers too) can search them. */
export const searchEverythingAction = authedAction({ name: "search.everything", role: "viewer", schema: ZGlobalSearchInput }, async (input, auth) =>
  searchEverything(await getDb(), { organization: auth.organization, userId: auth.user.id, input }),
);
