import { NextResponse } from "next/server";
import { assertCardPageRate, resolveCardLink } from "@/lib/card-links/resolve-card-link";
import { completeCardSetup } from "@/lib/cards-on-file/apply-setup-intent";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { recordIdFromPath } from "@/lib/http/record-id";

export const dynamic = "force-dynamic";

/** The card page's return from confirmSetup: applies the SetupIntent (the webhook may have first). Says only saved/pending/failed. */
export const POST = route<{ token: string; setupId: string }>("/api/card/{token}/setups/{setupId}/complete", async (_request, { params, ip }) => {
  const db = await getDb();
  await assertCardPageRate(db, { kind: "attempt", ip, token: params.token });
  const link = await resolveCardLink(db, params.token);
  if (!link.ok) throw new AppError("NOT_FOUND", link.reason === "expired" ? "This card link has expired." : "This card link is not valid.");
  const setupId = recordIdFromPath(params.setupId, "Unknown card setup.");
  const result = await completeCardSetup(db, { organizationId: link.organizationId, patientId: link.patientId, cardLinkId: link.linkId, setupId });
  if (!result) throw new AppError("NOT_FOUND", "Unknown card setup.");
  return NextResponse.json({ state: result.state, message: result.state === "saved" ? null : result.message }, { headers: { "Cache-Control": "no-store" } });
});
