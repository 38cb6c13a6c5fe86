"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/http/action";
import { ConfirmButton } from "@/components/ui/confirm-button";

type PlanAction = (input: { planId: string }) => Promise<ActionResult<{ planId: string }>>;

/** Pause, resume and cancel a plan, each confirmed first; the page refreshes with the new state. */
export function PaymentPlanActions({
  planId,
  status,
  actions,
}: {
  planId: string;
  status: string;
  actions: { pause: PlanAction; resume: PlanAction; cancel: PlanAction };
}) {
  const router = useRouter();
  const run = (action: PlanAction, done: string) => async () => {
    const result = await action({ planId });
    if (result.ok) {
      toast.success(done);
      router.refresh();
    }
    return result;
  };
  const live = status === "active" || status === "past_due";
  return (
    <div className="flex flex-wrap gap-2">
      {live && (
        <ConfirmButton
          title="Pause this plan?"
          description="Nothing is charged while the plan is paused. Installments that come due meanwhile are charged when you resume it, unless you reschedule them."
          confirmLabel="Pause plan"
          pendingLabel="Pausing…"
          onConfirm={run(actions.pause, "Plan paused.")}
        >
          Pause
        </ConfirmButton>
      )}
      {status === "paused" && (
        <ConfirmButton
          title="Resume this plan?"
          description="Charges start again at the next run, including installments that came due while it was paused."
          confirmLabel="Resume plan"
          pendingLabel="Resuming…"
          onConfirm={run(actions.resume, "Plan resumed.")}
        >
          Resume
        </ConfirmButton>
      )}
      {(live || status === "paused" || status === "defaulted") && (
        <ConfirmButton
          title="Cancel this plan?"
          description="Nothing more is charged. The invoices keep what they still owe and return to ordinary statements. This cannot be undone: to change a plan, cancel it and create a new one."
          confirmLabel="Cancel plan"
          cancelLabel="Keep the plan"
          pendingLabel="Canceling…"
          destructive
          onConfirm={run(actions.cancel, "Plan canceled.")}
        >
          Cancel plan
        </ConfirmButton>
      )}
    </div>
  );
}
