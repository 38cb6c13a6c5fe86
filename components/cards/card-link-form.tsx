"use client";

import { useState } from "react";
import { CheckCircle2 } from "lucide-react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CardSetupForm, type CompleteResult, type StartResult } from "./card-setup-form";
import { cardLabel } from "./card-label";

type CurrentCard = { brand: string; last4: string; expMonth: number; expYear: number };

type ApiError = { error?: { message?: string; fields?: Record<string, string[]> } };

/** The patient's own card page: the terms, replace or add, the card form, then a thank-you. */
export function CardLinkForm({
  token,
  clinicName,
  termsText,
  currentCard,
}: {
  token: string;
  clinicName: string;
  termsText: string;
  currentCard: CurrentCard | null;
}) {
  const [replaceCurrent, setReplaceCurrent] = useState(currentCard !== null);
  const [saved, setSaved] = useState(false);

  async function start(): Promise<StartResult> {
    const response = await fetch(`/api/card/${token}/setups`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ acceptedTerms: true, replaceCurrent }),
    });
    const body = (await response.json()) as ApiError & { setupId?: string; clientSecret?: string; publishableKey?: string | null };
    if (!response.ok || !body.setupId || !body.clientSecret) {
      return {
        ok: false,
        message: body.error?.message ?? "We couldn't start saving your card. Please try again.",
        fieldError: body.error?.fields?.acceptedTerms?.[0],
      };
    }
    return { ok: true, data: { setupId: body.setupId, clientSecret: body.clientSecret, publishableKey: body.publishableKey ?? null } };
  }

  async function complete(setupId: string): Promise<CompleteResult> {
    const response = await fetch(`/api/card/${token}/setups/${setupId}/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const body = (await response.json()) as ApiError & { state?: "saved" | "pending" | "failed"; message?: string | null };
    if (!response.ok || !body.state) return { ok: false, message: body.error?.message ?? "We couldn't confirm your card. Please try again." };
    return { ok: true, state: body.state, message: body.message };
  }

  if (saved) {
    return (
      <Card>
        <CardContent className="grid justify-items-center gap-3 py-8 text-center" data-testid="card-saved">
          <CheckCircle2 aria-hidden="true" className="size-10 text-success" />
          <p className="text-lg font-semibold">Your card is saved. Thank you!</p>
          <p className="text-muted-foreground">
            {clinicName} will use it for the payments you agreed to{replaceCurrent && currentCard ? `, instead of your ${cardLabel(currentCard)}` : ""}. You can
            close this page.
          </p>
        </CardContent>
      </Card>
    );
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">{currentCard ? "Update your card" : "Add a card"}</CardTitle>
      </CardHeader>
      <CardContent>
        <CardSetupForm termsText={termsText} acceptLabel="I agree to these terms" onStart={start} onComplete={complete} onSaved={() => setSaved(true)}>
          {currentCard && (
            <fieldset className="grid gap-2">
              <legend className="mb-1 text-sm font-medium">Your card on file: {cardLabel(currentCard)}</legend>
              <label className="flex cursor-pointer items-center gap-3 rounded-lg border p-3 text-sm has-checked:border-primary has-checked:bg-primary/5">
                <input type="radio" name="replace" checked={replaceCurrent} onChange={() => setReplaceCurrent(true)} className="size-4 accent-primary" />
                <span>Replace it with a new card</span>
              </label>
              <label className="flex cursor-pointer items-center gap-3 rounded-lg border p-3 text-sm has-checked:border-primary has-checked:bg-primary/5">
                <input type="radio" name="replace" checked={!replaceCurrent} onChange={() => setReplaceCurrent(false)} className="size-4 accent-primary" />
                <span>Add another card and use it from now on</span>
              </label>
            </fieldset>
          )}
        </CardSetupForm>
      </CardContent>
    </Card>
  );
}
