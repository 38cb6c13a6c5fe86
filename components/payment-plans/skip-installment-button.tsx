"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/http/action";
import { ConfirmButton } from "@/components/ui/confirm-button";

/** Skips one pending installment; its amount moves to a new installment after the last. */
export function SkipInstallmentButton(props: {
  planId: string;
  installmentId: string;
  label: string;
  skip: (input: { planId: string; installmentId: string }) => Promise<ActionResult<{ dueDate: string }>>;
}) {
  const router = useRouter();
  return (
    <ConfirmButton
      variant="ghost"
      title={`Skip ${props.label}?`}
      description="It will not be charged. Its amount moves to a new installment after the last one, so the plan's total stays the same."
      confirmLabel="Skip installment"
      pendingLabel="Skipping…"
      onConfirm={async () => {
        const result = await props.skip({ planId: props.planId, installmentId: props.installmentId });
        if (result.ok) {
          toast.success(`Skipped. Added an installment on ${result.data.dueDate}.`);
          router.refresh();
        }
        return result;
      }}
    >
      Skip
    </ConfirmButton>
  );
}
