"use client";

import { useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { CheckCheck, FileDown, FilePen, FileX2, Pencil, Send } from "lucide-react";
import type { ClaimAction, ClaimProblem, ClaimStatus } from "@/lib/claims/claims.types";
import type { ActionResult } from "@/lib/http/action";
import { Button, buttonVariants } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { download837, type SubmitClaimsResult } from "./claims-work-list";

type ClaimIdInput = { claimId: string };
type Replacement = ActionResult<{ id: string; displayNumber: string }>;

/**
 * What staff can do with a claim, as its view allows (the server decides `allowedActions` and
 * refuses anything else anyway): edit, validate, submit, correct, void, close, the CMS-1500.
 */
export function ClaimActions(props: {
  claimId: string;
  displayNumber: string;
  allowed: ClaimAction[];
  canWrite: boolean;
  channel: "download" | "sftp" | null;
  actions: {
    validate: (input: ClaimIdInput) => Promise<ActionResult<{ status: ClaimStatus; problems: ClaimProblem[] }>>;
    submit: (input: { claimIds: string[] }) => Promise<ActionResult<SubmitClaimsResult>>;
    correct: (input: ClaimIdInput) => Promise<Replacement>;
    void: (input: ClaimIdInput) => Promise<Replacement>;
    close: (input: ClaimIdInput & { reason: string }) => Promise<ActionResult<{ id: string }>>;
  };
}) {
  const router = useRouter();
  const [validating, startValidate] = useTransition();
  const [submitting, startSubmit] = useTransition();
  const can = (action: ClaimAction) => props.allowed.includes(action);
  const claimId = props.claimId;

  function validate() {
    startValidate(async () => {
      const result = await props.actions.validate({ claimId });
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      const count = result.data.problems.length;
      if (count === 0) toast.success(`${props.displayNumber} is ready to submit.`);
      else toast.warning(`${count} ${count === 1 ? "problem" : "problems"} to fix before ${props.displayNumber} can be submitted.`);
      router.refresh();
    });
  }

  function submit() {
    startSubmit(async () => {
      const result = await props.actions.submit({ claimIds: [claimId] });
      if (!result.ok) {
        toast.error(Object.values(result.error.fields ?? {})[0]?.[0] ?? result.error.message);
        return;
      }
      if (result.data.channel === "download") {
        download837(result.data.batchId);
        toast.success(`${props.displayNumber} submitted: ${result.data.fileName} is downloading. Upload it to the clearinghouse.`);
      } else toast.success(`${props.displayNumber} submitted: sent to the clearinghouse by SFTP within a few minutes.`);
      router.refresh();
    });
  }

  const replace = (kind: "correct" | "void") => async () => {
    const result = await props.actions[kind]({ claimId });
    if (result.ok) {
      toast.success(`${kind === "correct" ? "Corrected" : "Void"} claim ${result.data.displayNumber} created as a draft.`);
      router.push(`/app/claims/${result.data.id}`);
    }
    return result;
  };

  return (
    <div className="flex flex-wrap gap-2" data-testid="claim-actions">
      {props.canWrite && can("validate") && (
        <Button type="button" onClick={validate} loading={validating}>
          <CheckCheck aria-hidden="true" /> Validate
        </Button>
      )}
      {props.canWrite && can("submit") && (
        <Button
          type="button"
          onClick={submit}
          loading={submitting}
          disabled={props.channel === null}
          title={props.channel === null ? "Set up the clearinghouse first." : undefined}
        >
          <Send aria-hidden="true" /> {props.channel === "sftp" ? "Submit by SFTP" : "Submit and download 837"}
        </Button>
      )}
      {props.canWrite && can("edit") && (
        <Link href={`/app/claims/${claimId}/edit`} className={buttonVariants({ variant: "outline" })}>
          <Pencil aria-hidden="true" /> Edit
        </Link>
      )}
      {props.canWrite && can("correct") && (
        <ConfirmButton
          variant="outline"
          size="default"
          title={`Correct ${props.displayNumber}?`}
          description="A corrected claim (frequency 7) is created as a draft with these lines and the payer's claim number: change what was wrong, validate and submit it. This claim is closed when the payer accepts the correction."
          confirmLabel="Create corrected claim"
          onConfirm={replace("correct")}
        >
          <FilePen aria-hidden="true" /> Correct
        </ConfirmButton>
      )}
      {props.canWrite && can("void") && (
        <ConfirmButton
          variant="outline"
          size="default"
          destructive
          title={`Void ${props.displayNumber}?`}
          description="A void claim (frequency 8) is created as a draft: once submitted and accepted, the payer cancels this claim and this one is closed."
          confirmLabel="Create void claim"
          onConfirm={replace("void")}
        >
          <FileX2 aria-hidden="true" /> Void
        </ConfirmButton>
      )}
      {props.canWrite && can("close") && (
        <ConfirmButton
          variant="outline"
          size="default"
          destructive
          title={`Close ${props.displayNumber}?`}
          description="A closed claim is never sent or followed up again. The reason is kept in its history."
          confirmLabel="Close claim"
          reason={{ id: "close-reason", hint: "Kept in the claim's history and the audit log." }}
          onConfirm={async (reason) => {
            const result = await props.actions.close({ claimId, reason });
            if (result.ok) {
              toast.success(`${props.displayNumber} closed.`);
              router.refresh();
            }
            return result;
          }}
        >
          Close
        </ConfirmButton>
      )}
      {can("cms1500") && (
        <a href={`/app/claims/${claimId}/cms1500`} target="_blank" rel="noopener" className={buttonVariants({ variant: "outline" })}>
          <FileDown aria-hidden="true" /> CMS-1500 PDF
        </a>
      )}
    </div>
  );
}
