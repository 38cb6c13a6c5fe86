"use client";

import { RotateCcw } from "lucide-react";
import { reopenWrittenOffInvoiceAction } from "@/lib/actions/invoices/reopen-written-off-invoice";
import { formatMoney } from "@/lib/money/currency";
import { Button } from "@/components/ui/button";
import { ReasonDialog } from "./reason-dialog";

/**
 * "Reopen written-off balance" (billing and admin): the written-off amount becomes due again.
 * On success the page refreshes into the open invoice, so the button and its alert go away.
 */
export function ReopenWriteOffButton(props: { invoiceId: string; invoiceNumber: string; amountWrittenOff: number; currency: string }) {
  const writtenOff = formatMoney(props.amountWrittenOff, props.currency);
  return (
    <ReasonDialog
      id="reopen-write-off"
      trigger={
        <Button variant="outline" size="sm" className="w-fit">
          <RotateCcw aria-hidden="true" /> Reopen written-off balance
        </Button>
      }
      title={`Reopen ${props.invoiceNumber}?`}
      description={`The ${writtenOff} written off becomes due again and the bad-debt entry is reversed. Say why, for example that the patient agreed to pay.`}
      confirmLabel={`Reopen ${writtenOff}`}
      onConfirm={(reason) => reopenWrittenOffInvoiceAction({ invoiceId: props.invoiceId, reason })}
    />
  );
}
