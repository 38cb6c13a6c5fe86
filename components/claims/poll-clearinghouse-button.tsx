"use client";

import { useState, useTransition } from "react";
import { formatCount } from "@/lib/utils/format-count";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { RefreshCw } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ImportFileResult } from "./clearinghouse-import-form";

/** What the exchange did: batches sent, files imported with their summaries, problems in words. */
export type PollOutcome = {
  sent: number;
  /** Eligibility requests (270) sent. */
  sentEligibilityRequests: number;
  imported: (Omit<ImportFileResult, "fileId"> & { fileName: string })[];
  errors: string[];
};

/** Runs the SFTP exchange now and says what it did: files sent, answers imported (with what they did to claims), problems. */
export function PollClearinghouseButton(props: {
  poll: (
    input: Record<string, never>,
  ) => Promise<ActionResult<Omit<PollOutcome, "imported"> & { imported: Omit<ImportFileResult & { fileName: string }, "fileId">[] }>>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<{ lines: { text: string; href?: string }[]; failed: boolean } | null>(null);

  function poll() {
    setOutcome(null);
    startTransition(async () => {
      const result = await props.poll({});
      if (!result.ok) {
        setOutcome({ lines: [{ text: result.error.message }], failed: true });
        return;
      }
      const { sent, sentEligibilityRequests: sent270, imported, errors } = result.data;
      const lines = [
        { text: sent === 0 ? "No claim file was waiting to be sent." : `${sent} claim ${sent === 1 ? "file" : "files"} sent.` },
        ...(sent270 > 0 ? [{ text: `${sent270} eligibility ${sent270 === 1 ? "request" : "requests"} (270) sent.` }] : []),
        ...(imported.length === 0 ? [{ text: "No new answer from the clearinghouse." }] : []),
        ...imported.flatMap((file) => [
          { text: `${file.kind} ${file.fileName}:` },
          ...file.summary.map((line) => ({ text: line.message, href: line.claimId ? `/app/claims/${line.claimId}` : undefined })),
          ...file.postingInBackground.map((posting) => ({
            text: `Follow the posting of ${formatCount(posting.claimPayments)} claim payments`,
            href: `/app/claims/remittances/${posting.remittanceId}`,
          })),
        ]),
        ...errors.map((text) => ({ text })),
      ];
      setOutcome({ lines, failed: errors.length > 0 });
      router.refresh();
    });
  }

  return (
    <div className="grid gap-3">
      <Button type="button" variant="outline" onClick={poll} loading={pending} className="w-fit">
        <RefreshCw aria-hidden="true" /> Check the clearinghouse now
      </Button>
      {outcome && (
        <Alert variant={outcome.failed ? "warning" : "info"} data-testid="poll-outcome">
          <AlertDescription>
            <ul className="grid gap-1">
              {outcome.lines.map((line, index) => (
                <li key={index}>
                  {line.href ? (
                    <Link href={line.href} className="text-primary underline underline-offset-4">
                      {line.text}
                    </Link>
                  ) : (
                    line.text
                  )}
                </li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      )}
    </div>
  );
}
