import { NextResponse } from "next/server";
import { assertCardPageRate } from "@/lib/card-links/resolve-card-link";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { cancelMembershipFromCardLink } from "@/lib/memberships/manage-membership";

export const dynamic = "force-dynamic";

/**
 * The patient cancels one of their memberships from their card link (no sign-in: the link names
 * the patient): it ends when the current period ends. Says only when it ends.
 */
export const POST = route<{ token: string; membershipId: string }>("/api/card/{token}/memberships/{membershipId}/cancel", async (request, { params, ip }) => {
  const db = await getDb();
  await assertCardPageRate(db, { kind: "attempt", ip, token: params.token });
  const membershipId = recordIdFromPath(params.membershipId, "Unknown membership.");
  const membership = await cancelMembershipFromCardLink(db, {
    token: params.token,
    membershipId,
    ip,
    userAgent: request.headers.get("user-agent"),
    now: new Date(),
  });
  return NextResponse.json(
    { id: membership.id, cancelAtPeriodEnd: membership.cancelAtPeriodEnd, endsOn: membership.currentPeriodEnd },
    { headers: { "Cache-Control": "no-store" } },
  );
});
