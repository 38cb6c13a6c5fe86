import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { AppError } from "@/lib/errors";
import { getClearinghouseSettings, saveClearinghouseSettings, ZClearinghouseSettingsInput } from "@/lib/clearinghouse/settings";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/clearinghouse/settings", async (_request, { db, principal }) => {
  const settings = await getClearinghouseSettings(db, { organizationId: principal.organizationId });
  if (!settings) throw new AppError("NOT_FOUND", "The clearinghouse is not set up yet: PUT its settings, or set them in Settings → Clearinghouse.");
  return { status: 200, body: settings };
});

export const PUT = apiRoute("/api/v1/clearinghouse/settings", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZClearinghouseSettingsInput);
  return { status: 200, body: await saveClearinghouseSettings(db, { organizationId: principal.organizationId, actor, input }) };
});
