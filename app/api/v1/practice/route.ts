import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { AppError } from "@/lib/errors";
import { getPracticeProfile, savePracticeProfile, ZPracticeProfileInput } from "@/lib/insurance/practice-profile";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/practice", async (_request, { db, principal }) => {
  const profile = await getPracticeProfile(db, { organizationId: principal.organizationId });
  if (!profile) throw new AppError("NOT_FOUND", "The practice profile is not set yet: PUT it, or set it in Settings → Practice.");
  return { status: 200, body: profile };
});

export const PUT = apiRoute("/api/v1/practice", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZPracticeProfileInput);
  return { status: 200, body: await savePracticeProfile(db, { organizationId: principal.organizationId, actor, input }) };
});
