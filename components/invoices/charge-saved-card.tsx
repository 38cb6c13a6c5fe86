"use client";

import { toast } from "sonner";
import { useState, useTransition } from "react";
import { CreditCard } from "lucide-react";
import { chargeSavedCardAction } from "@/lib/actions/payments/charge-saved-card";
import { formatMoney } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";

type Card = { id: string; label: string };

/** Charge one of the patient's saved cards for the balance, without the patient present. */
export function ChargeSavedCard({ invoiceId, cards, amountDue, currency }: { invoiceId: string; cards: Card[]; amountDue: number; currency: string }) {
  const [cardId, setCardId] = useState(cards[0]?.id ?? "");
  const [message, setMessage] = useState<{ kind: "destructive"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const card = cards.find((entry) => entry.id === cardId);

  return (
    <div className="grid gap-3 border-t pt-4 text-sm">
      <div className="grid gap-1.5">
        <Label htmlFor="saved-card">Charge a saved card</Label>
        <Select id="saved-card" value={cardId} onChange={(event) => setCardId(event.target.value)}>
          {cards.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.label}
            </option>
          ))}
        </Select>
      </div>
      {message && (
        <Alert variant={message.kind}>
          <AlertDescription>{message.text}</AlertDescription>
        </Alert>
      )}
      <div>
        <ConfirmButton
          title={`Charge ${formatMoney(amountDue, currency)} to ${card?.label ?? "the card"}?`}
          description="The patient agreed to keep this card on file when they paid online. They get a receipt by email."
          confirmLabel="Charge card"
          disabled={pending || !card}
          onConfirm={() =>
            startTransition(async () => {
              setMessage(null);
              const result = await chargeSavedCardAction({ invoiceId, savedPaymentMethodId: cardId });
              if (!result.ok) return setMessage({ kind: "destructive", text: result.error.message });
              if (result.data.status === "succeeded") return void toast.success("Charged. The payment is recorded on this invoice.");
              setMessage({
                kind: "destructive",
                text: `The card was not charged: ${result.data.failureMessage ?? "declined"}. Ask the patient for another way to pay.`,
              });
            })
          }
        >
          <CreditCard aria-hidden="true" /> Charge {formatMoney(amountDue, currency)}
        </ConfirmButton>
      </div>
    </div>
  );
}
