import Link from "next/link";
import { ChevronRight } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";

/** "Next page" under a list (nothing on the last page). */
export function NextPageLink({ href }: { href: string | null }) {
  if (!href) return null;
  return (
    <div>
      <Link href={href} className={buttonVariants({ variant: "outline" })}>
        Next page
      </Link>
    </div>
  );
}

/** "Back to first page" (past the first page) and "Next page" (before the last) under a list. */
export function ListPageLinks({ firstPageHref, nextPageHref }: { firstPageHref: string | null; nextPageHref: string | null }) {
  if (!firstPageHref && !nextPageHref) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2">
      {firstPageHref ? (
        <Link href={firstPageHref} className={buttonVariants({ variant: "ghost", size: "sm" })}>
          Back to first page
        </Link>
      ) : (
        <span />
      )}
      {nextPageHref && (
        <Link href={nextPageHref} className={buttonVariants({ variant: "outline", size: "sm" })}>
          Next page <ChevronRight aria-hidden="true" />
        </Link>
      )}
    </nav>
  );
}

/** The empty state's way back to the whole list. */
export function ClearFiltersLink({ href, label = "Clear filters" }: { href: string; label?: string }) {
  return (
    <Link href={href} className={buttonVariants({ variant: "outline" })}>
      {label}
    </Link>
  );
}
