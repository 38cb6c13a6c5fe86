import { NextResponse } from "next/server";
import { z } from "zod";
import { assertCardPageRate, resolveCardLink } from "@/lib/card-links/resolve-card-link";
import { startCardSetup } from "@/lib/cards-on-file/start-card-setup";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/request-body";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const ZStartCardSetupBody = z.strictObject({
  acceptedTerms: z.boolean({ error: "acceptedTerms must be true or false." }),
  /** Replace the patient's current default card (it is removed once the new card is saved). */
  replaceCurrent: z.boolean({ error: "replaceCurrent must be true or false." }).default(false),
});

/**
 * The patient's card page starts saving a card (no sign-in: the card link is the authority): the
 * consent is recorded as the patient's own, with their IP and browser, then a SetupIntent.
 */
export const POST = route<{ token: string }>("/api/card/{token}/setups", async (request, { params, ip }) => {
  const db = await getDb();
  await assertCardPageRate(db, { kind: "attempt", ip, token: params.token });
  const link = await resolveCardLink(db, params.token);
  if (!link.ok) throw new AppError("NOT_FOUND", link.reason === "expired" ? "This card link has expired." : "This card link is not valid.");
  const body = await readJsonBody(request, ZStartCardSetupBody);
  const current = body.replaceCurrent
    ? await db.savedPaymentMethod.findFirst({
        where: { patientId: link.patientId, organizationId: link.organizationId, isDefault: true, removedAt: null },
        select: { id: true },
      })
    : null;
  const started = await startCardSetup(db, {
    organizationId: link.organizationId,
    patientId: link.patientId,
    source: "card_link",
    cardLinkId: link.linkId,
    by: { kind: "patient_online" },
    acceptedTerms: body.acceptedTerms,
    makeDefault: true,
    replacesCardId: current?.id,
    ip,
    userAgent: request.headers.get("user-agent"),
    actor: { userId: null, label: "patient (card link)", ip, requestId: null },
  });
  return NextResponse.json(
    { setupId: started.setupId, clientSecret: started.clientSecret, publishableKey: getEnv().STRIPE_PUBLISHABLE_KEY ?? null },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
});
