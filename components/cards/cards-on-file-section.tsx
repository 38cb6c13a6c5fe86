"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Check, Copy, CreditCard, Mail, Plus, Star, Trash2 } from "lucide-react";
import {
  completeDeskCardSetupAction,
  createCardLinkAction,
  removeCardAction,
  revokeCardLinkAction,
  setDefaultCardAction,
  startDeskCardSetupAction,
} from "@/lib/actions/cards-on-file/card-on-file-actions";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { CardSetupForm, type CompleteResult, type StartResult } from "./card-setup-form";
import { cardBrand } from "./card-label";

export type CardOnFileRow = {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  isDefault: boolean;
  /** Where it was added: "Pay page", "Front desk", "Card link". */
  sourceLabel: string;
  /** "Dec 5, 2026 · by staff for the patient" (or "no consent recorded"). */
  consentLabel: string;
  expiresSoon: boolean;
  expired: boolean;
};

type CardsOnFileSectionProps = {
  patientId: string;
  cards: CardOnFileRow[];
  canWrite: boolean;
  /** The card-on-file terms as shown to the patient (and recorded with the consent). */
  termsText: string;
  patientEmail: string | null;
  liveLink: { url: string; expiresLabel: string; emailed: boolean } | null;
  archived: boolean;
};

const failure = (result: ActionResult<unknown>) => (result.ok ? null : result.error.message);

/** A patient's cards on file: list, add at the desk (Elements), make default, remove, and a card link for the patient. */
export function CardsOnFileSection({ patientId, cards, canWrite, termsText, patientEmail, liveLink, archived }: CardsOnFileSectionProps) {
  const router = useRouter();
  const [adding, setAdding] = useState(false);
  const [linkOpen, setLinkOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (action: () => Promise<ActionResult<unknown>>, success: string) => {
    setError(null);
    startTransition(async () => {
      const result = await action();
      const message = failure(result);
      if (message) setError(message);
      else toast.success(success);
    });
  };

  async function start(): Promise<StartResult> {
    const result = await startDeskCardSetupAction({ patientId, acceptedTerms: true, makeDefault: true });
    if (!result.ok) return { ok: false, message: result.error.message, fieldError: result.error.fields?.acceptedTerms?.[0] };
    return { ok: true, data: result.data };
  }

  async function complete(setupId: string): Promise<CompleteResult> {
    const result = await completeDeskCardSetupAction({ patientId, setupId });
    if (!result.ok) return { ok: false, message: result.error.message };
    return { ok: true, state: result.data.state, message: result.data.message };
  }

  return (
    <div className="grid gap-4">
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      {cards.length === 0 ? (
        <div className="grid justify-items-center gap-2 py-4 text-center text-sm text-muted-foreground">
          <CreditCard aria-hidden="true" className="size-6" />
          <p>No cards on file.</p>
        </div>
      ) : (
        <ul className="grid gap-3 text-sm" data-testid="saved-cards">
          {cards.map((card) => (
            <li key={card.id} className="grid gap-1.5 rounded-lg border p-3" data-testid="saved-card">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-medium">
                  {cardBrand(card.brand)} •••• {card.last4}
                </span>
                <span className="text-muted-foreground tabular-nums">
                  exp. {String(card.expMonth).padStart(2, "0")}/{card.expYear}
                </span>
              </div>
              <div className="flex flex-wrap gap-1.5">
                {card.isDefault && <Badge variant="success">Default</Badge>}
                {card.expired ? <Badge variant="destructive">Expired</Badge> : card.expiresSoon && <Badge variant="warning">Expires soon</Badge>}
                <Badge variant="outline">{card.sourceLabel}</Badge>
              </div>
              <p className="text-xs text-muted-foreground">Consent: {card.consentLabel}</p>
              {canWrite && (
                <div className="flex flex-wrap gap-2 pt-1">
                  {!card.isDefault && (
                    <Button
                      variant="outline"
                      size="sm"
                      disabled={pending}
                      onClick={() =>
                        run(() => setDefaultCardAction({ patientId, cardId: card.id }), `${cardBrand(card.brand)} •••• ${card.last4} is now the default card.`)
                      }
                    >
                      <Star aria-hidden="true" /> Make default
                    </Button>
                  )}
                  <ConfirmButton
                    variant="outline"
                    size="sm"
                    destructive
                    disabled={pending}
                    title={`Remove ${cardBrand(card.brand)} •••• ${card.last4}?`}
                    description="The card is removed from the patient's file and from our payment processor: it can no longer be charged, by staff, a payment plan or a membership. Its consent stays on record."
                    confirmLabel="Remove card"
                    pendingLabel="Removing…"
                    onConfirm={async () => {
                      const result = await removeCardAction({ patientId, cardId: card.id });
                      if (result.ok) toast.success("Card removed.");
                      return result;
                    }}
                  >
                    <Trash2 aria-hidden="true" /> Remove
                  </ConfirmButton>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {liveLink && (
        <p className="text-xs text-muted-foreground" data-testid="card-link-status">
          Card link {liveLink.emailed ? "emailed" : "created"}, active {liveLink.expiresLabel}.
        </p>
      )}
      {canWrite && !archived && (
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={() => setAdding(true)}>
            <Plus aria-hidden="true" /> Add card
          </Button>
          <Button size="sm" variant="outline" onClick={() => setLinkOpen(true)}>
            <Mail aria-hidden="true" /> Send card link
          </Button>
        </div>
      )}
      <Dialog open={adding} onOpenChange={setAdding}>
        <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
          <DialogHeader>
            <DialogTitle>Add a card at the desk</DialogTitle>
            <DialogDescription>Read the terms to the patient, tick the box when they agree, then enter their card.</DialogDescription>
          </DialogHeader>
          {adding && (
            <CardSetupForm
              termsText={termsText}
              acceptLabel="The patient agreed to these terms"
              onStart={start}
              onComplete={complete}
              onSaved={() => {
                setAdding(false);
                toast.success("Card saved and made the default.");
                router.refresh();
              }}
              onCancel={() => setAdding(false)}
            />
          )}
        </DialogContent>
      </Dialog>
      <CardLinkDialog open={linkOpen} onOpenChange={setLinkOpen} patientId={patientId} patientEmail={patientEmail} hasLiveLink={liveLink !== null} />
    </div>
  );
}

export function CardLinkDialog({
  open,
  onOpenChange,
  patientId,
  patientEmail,
  hasLiveLink,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  patientId: string;
  patientEmail: string | null;
  hasLiveLink: boolean;
}) {
  const [created, setCreated] = useState<{ url: string; emailedTo: string | null } | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const create = (email: boolean) => {
    setError(null);
    startTransition(async () => {
      const result = await createCardLinkAction({ patientId, email });
      if (!result.ok) setError(result.error.fields?.email?.[0] ?? result.error.message);
      else setCreated({ url: result.data.url, emailedTo: result.data.emailedTo });
    });
  };
  const revoke = () => {
    setError(null);
    startTransition(async () => {
      const result = await revokeCardLinkAction({ patientId });
      if (!result.ok) setError(result.error.message);
      else {
        toast.success("Card link revoked.");
        onOpenChange(false);
      }
    });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) {
          setCreated(null);
          setCopied(false);
          setError(null);
        }
        onOpenChange(next);
      }}
    >
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Card link for the patient</DialogTitle>
          <DialogDescription>
            The patient opens it to read the terms and add or replace their card themselves. It works for 7 days; a new link replaces the previous one.
          </DialogDescription>
        </DialogHeader>
        {error && (
          <Alert variant="destructive">
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        )}
        {created ? (
          <div className="grid gap-3 text-sm">
            <p data-testid="card-link-created">
              {created.emailedTo ? `Emailed to ${created.emailedTo}.` : "Link created. Copy it and send it to the patient."}
            </p>
            <div className="flex flex-wrap items-center gap-2">
              <code className="min-w-0 flex-1 truncate rounded bg-muted px-2 py-1 text-xs" data-testid="card-link-url">
                {created.url}
              </code>
              <Button size="sm" variant="outline" onClick={() => void navigator.clipboard?.writeText(created.url).then(() => setCopied(true))}>
                {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />} {copied ? "Copied" : "Copy"}
              </Button>
            </div>
          </div>
        ) : (
          <div className="flex flex-wrap gap-2">
            <Button loading={pending} disabled={!patientEmail} onClick={() => create(true)}>
              <Mail aria-hidden="true" /> {patientEmail ? `Email to ${patientEmail}` : "No email on file"}
            </Button>
            <Button variant="outline" disabled={pending} onClick={() => create(false)}>
              <Copy aria-hidden="true" /> Create link to copy
            </Button>
            {hasLiveLink && (
              <Button variant="ghost" disabled={pending} onClick={revoke}>
                Revoke current link
              </Button>
            )}
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
