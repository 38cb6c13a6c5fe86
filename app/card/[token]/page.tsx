import type { Metadata } from "next";
import { headers } from "next/headers";
import { assertCardPageRate } from "@/lib/card-links/resolve-card-link";
import { getCardPage } from "@/lib/card-links/get-card-page";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { CardLinkForm } from "@/components/cards/card-link-form";
import { CardLinkProblem } from "@/components/cards/card-link-problem";
import { CardMembershipsSection } from "@/components/cards/card-memberships-section";
import { PayShell } from "@/components/pay/pay-shell";
import { RateLimitedNotice } from "@/components/pay/rate-limited-notice";

export const metadata: Metadata = { title: "Your card on file", referrer: "no-referrer" };

/** The patient's page from a card link: add or replace the card the clinic keeps on file, under the terms shown; stop a membership from renewing. */
export default async function CardLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = await getDb();
  try {
    await assertCardPageRate(db, { kind: "view", ip: clientIpFromHeaders(await headers()), token });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return (
      <PayShell>
        <RateLimitedNotice message={error.message} />
      </PayShell>
    );
  }
  const page = await getCardPage(db, token);
  if (page.kind === "problem") {
    return (
      <PayShell clinic={page.clinic}>
        <CardLinkProblem reason={page.reason} clinic={page.clinic} />
      </PayShell>
    );
  }
  return (
    <PayShell clinic={page.clinic}>
      <h1 className="text-2xl font-semibold tracking-tight">Hello {page.patientFirstName},</h1>
      <p className="text-muted-foreground">
        {page.clinic.name} asks you to keep a card on file for your payments to them. Your card details go straight to our payment processor; {page.clinic.name}{" "}
        only sees the brand, the last 4 digits and the expiry date.
      </p>
      <CardLinkForm token={token} clinicName={page.clinic.name} termsText={page.termsText} currentCard={page.currentCard} />
      <CardMembershipsSection token={token} clinicName={page.clinic.name} memberships={page.memberships} />
    </PayShell>
  );
}
