"use client";

import { Undo2 } from "lucide-react";
import { toast } from "sonner";
import { unapplyPatientCreditAction } from "@/lib/actions/patient-credit/unapply-patient-credit";
import { formatMoney } from "@/lib/money/currency";
import { ConfirmButton } from "@/components/ui/confirm-button";

type UnapplyCreditButtonProps = { creditApplicationId: string; invoiceNumber: string; amount: number; currency: string };

/** Takes an applied credit back off the invoice, after a confirmation: the invoice owes it again and the patient has it back as credit. */
export function UnapplyCreditButton({ creditApplicationId, invoiceNumber, amount, currency }: UnapplyCreditButtonProps) {
  const money = formatMoney(amount, currency);
  return (
    <ConfirmButton
      variant="outline"
      size="sm"
      title={`Take ${money} of credit back off ${invoiceNumber}?`}
      description={`${invoiceNumber} will owe ${money} again and the patient gets ${money} back as credit. No money moves.`}
      confirmLabel="Take credit back"
      pendingLabel="Taking back…"
      onConfirm={async () => {
        const result = await unapplyPatientCreditAction({ creditApplicationId });
        if (result.ok) toast.success(`Took ${formatMoney(result.data.unapplied, currency)} of credit back off ${invoiceNumber}.`);
        return result;
      }}
    >
      <Undo2 aria-hidden="true" /> Take back
    </ConfirmButton>
  );
}
