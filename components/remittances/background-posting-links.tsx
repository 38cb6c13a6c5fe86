import Link from "next/link";
import { formatCount } from "@/lib/utils/format-count";

/** Links to the payments an import left to the background job (ImportResult.postingInBackground), where their posting's progress shows. */
export function BackgroundPostingLinks({ postings }: { postings: { remittanceId: string; claimPayments: number }[] }) {
  if (postings.length === 0) return null;
  return (
    <ul className="mt-2 grid gap-1" data-testid="background-posting-links">
      {postings.map((posting) => (
        <li key={posting.remittanceId}>
          <Link href={`/app/claims/remittances/${posting.remittanceId}`} className="text-primary underline underline-offset-4">
            Follow the posting of {formatCount(posting.claimPayments)} claim payments
          </Link>
        </li>
      ))}
    </ul>
  );
}
