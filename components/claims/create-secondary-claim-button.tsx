"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FilePlus2 } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import { ConfirmButton } from "@/components/ui/confirm-button";

/**
 * "Create secondary claim" (or tertiary): the claim to the patient's next payer, carrying this
 * claim's posted remittance. Shown only when the server's check allows it; the server checks again
 * and a refusal is shown in the dialog, in words.
 */
export function CreateSecondaryClaimButton(props: {
  claimId: string;
  displayNumber: string;
  /** "secondary" or "tertiary". */
  order: string;
  payerName: string;
  create: (input: { claimId: string }) => Promise<ActionResult<{ id: string; displayNumber: string }>>;
}) {
  const router = useRouter();
  return (
    <ConfirmButton
      size="default"
      title={`Create the ${props.order} claim to ${props.payerName}?`}
      description={`A draft claim with the same visit and lines is created for the patient's ${props.order} coverage, carrying what the payer of ${props.displayNumber} paid and adjusted. Check it, validate it and submit it like any claim.`}
      confirmLabel={`Create ${props.order} claim`}
      onConfirm={async () => {
        const result = await props.create({ claimId: props.claimId });
        if (result.ok) {
          toast.success(`${props.order.charAt(0).toUpperCase()}${props.order.slice(1)} claim ${result.data.displayNumber} created as a draft.`);
          router.push(`/app/claims/${result.data.id}`);
        }
        return result;
      }}
    >
      <FilePlus2 aria-hidden="true" /> Create {props.order} claim
    </ConfirmButton>
  );
}
