"use client";

import { useState } from "react";
import type { CardPageMembership } from "@/lib/card-links/get-card-page";
import { formatMoney } from "@/lib/money/currency";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { perInterval, periodLastDay } from "@/components/memberships/membership-status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";

type ApiError = { error?: { code?: string; message?: string } };

/**
 * The patient's live memberships on their card page, each with "Cancel at the end of this
 * period" (confirmed first); afterwards it says when the membership ends. Nothing is refunded
 * and nothing more is charged.
 */
export function CardMembershipsSection({ token, clinicName, memberships }: { token: string; clinicName: string; memberships: CardPageMembership[] }) {
  const [ending, setEnding] = useState<Record<string, string | null>>({});
  if (memberships.length === 0) return null;

  async function cancel(membership: CardPageMembership) {
    const response = await fetch(`/api/card/${token}/memberships/${membership.id}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const body = (await response.json().catch(() => ({}))) as ApiError & { endsOn?: string | null };
    if (!response.ok) {
      const message = body.error?.message ?? "We couldn't cancel your membership. Please try again, or call the clinic.";
      return { ok: false as const, error: { code: "BAD_REQUEST" as const, message } };
    }
    setEnding((current) => ({ ...current, [membership.id]: body.endsOn ?? membership.currentPeriodEnd }));
    return { ok: true as const, data: null };
  }

  return (
    <Card data-testid="card-memberships">
      <CardHeader>
        <CardTitle as="h2">Your memberships</CardTitle>
        <CardDescription>Charged to your card on file at the start of each period. You can stop a membership from renewing here.</CardDescription>
      </CardHeader>
      <CardContent>
        <ul className="grid gap-4">
          {memberships.map((membership) => {
            const endsOn = membership.id in ending ? ending[membership.id] : membership.cancelAtPeriodEnd ? membership.currentPeriodEnd : undefined;
            const isEnding = endsOn !== undefined;
            const price = perInterval(formatMoney(membership.amount, membership.currency), membership.interval);
            return (
              <li key={membership.id} className="grid gap-3 border-t pt-4 first:border-t-0 first:pt-0" data-testid="card-membership">
                <div className="grid gap-1">
                  <p className="flex flex-wrap items-center gap-2 font-medium">
                    <span className="break-words">{membership.planName}</span>
                    {membership.status === "paused" && <Badge variant="secondary">Paused</Badge>}
                    {membership.status === "past_due" && <Badge variant="warning">Payment due</Badge>}
                  </p>
                  <p className="text-sm text-muted-foreground tabular-nums">
                    {price}
                    {!isEnding && membership.status !== "paused" && membership.nextChargeDate && ` · renews ${formatIsoDate(membership.nextChargeDate)}`}
                  </p>
                </div>
                {isEnding ? (
                  <p role="status" className="rounded-md bg-muted px-3 py-2 text-sm" data-testid="card-membership-ends">
                    {endsOn ? `Your membership ends after ${periodLastDay(endsOn)}.` : "Your membership ends at the end of this period."} It will not renew and
                    nothing more is charged.
                  </p>
                ) : (
                  // Full width under a thumb on a phone; its own width where there is room.
                  <div className="grid sm:justify-items-start">
                    <ConfirmButton
                      size="default"
                      title={`Cancel your ${membership.planName} membership?`}
                      description={
                        membership.currentPeriodEnd
                          ? `It stays active through ${periodLastDay(membership.currentPeriodEnd)}, then ends. Nothing more is charged, and what you already paid is not refunded. To change your mind, contact ${clinicName}.`
                          : `It ends at the end of this period and nothing more is charged. To change your mind, contact ${clinicName}.`
                      }
                      confirmLabel="Cancel at period end"
                      cancelLabel="Keep my membership"
                      pendingLabel="Canceling…"
                      destructive
                      onConfirm={() => cancel(membership)}
                    >
                      Cancel at the end of this period
                    </ConfirmButton>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </CardContent>
    </Card>
  );
}
