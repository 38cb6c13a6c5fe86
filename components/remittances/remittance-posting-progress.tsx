"use client";

import { useEffect, useState } from "react";
import { formatCount } from "@/lib/utils/format-count";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Loader2 } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import type { RemittancePosting } from "@/lib/remittances/remittances.types";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

const count = formatCount;
const plural = (value: number, one: string, many: string) => `${count(value)} ${value === 1 ? one : many}`;

/**
 * A remittance the background job posts: "Posting: 420 of 1,000 claim payments", asking how far it
 * has got every `intervalMs` (a small query, not the whole page), then, once nothing is left, the
 * outcome, and the page refreshed once to show each claim payment as posted.
 */
export function RemittancePostingProgress({
  remittanceId,
  initial,
  refresh,
  intervalMs = 2_000,
}: {
  remittanceId: string;
  initial: RemittancePosting;
  refresh: (input: { remittanceId: string }) => Promise<ActionResult<RemittancePosting>>;
  intervalMs?: number;
}) {
  const router = useRouter();
  const [posting, setPosting] = useState(initial);
  const [stale, setStale] = useState(false);

  useEffect(() => {
    if (!posting.inBackground || posting.finished) return;
    const timer = setTimeout(async () => {
      const result = await refresh({ remittanceId });
      if (!result.ok) return setStale(true);
      setStale(false);
      setPosting(result.data);
      if (result.data.finished) router.refresh();
    }, intervalMs);
    return () => clearTimeout(timer);
  }, [posting, remittanceId, refresh, intervalMs, router]);

  if (!posting.inBackground) return null;
  const done = posting.total - posting.waiting;
  const percent = posting.total === 0 ? 100 : Math.floor((done / posting.total) * 100);

  if (!posting.finished) {
    return (
      <Alert data-testid="remittance-posting" icon={Loader2} className="[&>svg]:animate-spin">
        <AlertTitle>
          Posting: {count(done)} of {plural(posting.total, "claim payment", "claim payments")}
        </AlertTitle>
        <AlertDescription>
          <div
            className="my-2 h-2 w-full overflow-hidden rounded-full bg-muted"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={posting.total}
            aria-valuenow={done}
            aria-label="Claim payments posted"
          >
            <div className="h-full bg-primary transition-[width]" style={{ width: `${percent}%` }} />
          </div>
          <p>
            This payment has too many claims to post while the file was uploaded, so Carebill posts it in the background. You can leave this page; posting goes
            on.{stale ? " Could not ask how far it has got just now; trying again." : ""}
          </p>
        </AlertDescription>
      </Alert>
    );
  }

  return (
    <Alert variant="success" data-testid="remittance-posting">
      <AlertTitle>Posted in the background</AlertTitle>
      <AlertDescription>
        <p>
          {plural(posting.posted, "claim payment posted", "claim payments posted")}
          {posting.duplicate > 0 && `, ${plural(posting.duplicate, "duplicate (posted before)", "duplicates (posted before)")}`}
          {posting.held > 0 && (
            <>
              , {count(posting.held)} held:{" "}
              <Link href="/app/claims/unmatched" className="text-primary underline underline-offset-4">
                see Unmatched payments
              </Link>
            </>
          )}
          .
        </p>
      </AlertDescription>
    </Alert>
  );
}
