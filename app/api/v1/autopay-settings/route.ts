import { getAutopaySettings } from "@/lib/autopay/get-autopay-settings";
import { updateAutopaySettings, ZPatchAutopaySettingsBody } from "@/lib/autopay/update-autopay-settings";
import { apiRoute, readJsonBody } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

/** The clinic's autopay rules (its own, or the defaults until it saves some). */
export const GET = apiRoute("/api/v1/autopay-settings", async (_request, { db, principal }) => ({
  status: 200,
  body: await getAutopaySettings(db, principal.organizationId),
}));

/** Changes any of the rules (the others stay), audited under the key; bad values are 422 naming each field. */
export const PATCH = apiRoute("/api/v1/autopay-settings", async (request, { db, principal, actor }) => {
  const change = await readJsonBody(request, ZPatchAutopaySettingsBody);
  const { settings } = await updateAutopaySettings(db, {
    organizationId: principal.organizationId,
    actor,
    input: (current) => ({ ...current, ...change }),
  });
  return { status: 200, body: settings };
});
