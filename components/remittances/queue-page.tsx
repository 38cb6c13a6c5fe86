import type { ReactNode } from "react";
import Link from "next/link";
import { ChevronLeft, type LucideIcon } from "lucide-react";
import { listHref } from "@/lib/search/list-params";
import { ClearFiltersLink, ListPageLinks } from "@/components/search/list-pages";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

type QueueEmptyState = { title: string; description: string };

/**
 * The scaffolding the claims work queues (denials, unmatched payments, underpaid) share: the way
 * back to Claims, the header, an empty state (nothing to work, or no more on a later page), the
 * queue itself and its keyset page links. `framed`: the queue sits in one card (lists and tables);
 * otherwise its items are cards of their own.
 */
export function QueuePage(props: {
  title: string;
  description: string;
  /** The queue's path (its first page). */
  path: string;
  /** The page's cursor (null on the first page) and the next page's. */
  cursor: string | null;
  nextCursor: string | null;
  isEmpty: boolean;
  icon: LucideIcon;
  /** The first page, empty: what lands in the queue, and where to go instead (a link under it). */
  empty: QueueEmptyState & { link: { href: string; label: string } };
  /** A later page, empty: everything is on the pages before. */
  noMore: QueueEmptyState;
  framed?: boolean;
  children: ReactNode;
}) {
  const { path, cursor, icon } = props;
  const body = (
    <>
      {props.isEmpty ? (
        cursor ? (
          <EmptyState
            icon={icon}
            title={props.noMore.title}
            description={props.noMore.description}
            action={<ClearFiltersLink href={path} label="First page" />}
          />
        ) : (
          <EmptyState
            icon={icon}
            title={props.empty.title}
            description={props.empty.description}
            action={
              <Link href={props.empty.link.href} className={buttonVariants({ variant: "outline" })}>
                {props.empty.link.label}
              </Link>
            }
          />
        )
      ) : (
        props.children
      )}
      <ListPageLinks firstPageHref={cursor ? path : null} nextPageHref={props.nextCursor && listHref(path, { cursor: props.nextCursor })} />
    </>
  );

  return (
    <div className="grid grid-cols-1 gap-6">
      <Link href="/app/claims" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Claims
      </Link>
      <PageHeader title={props.title} description={props.description} />
      {props.framed ? (
        <Card>
          <CardContent className="grid gap-4 pt-4 sm:pt-6">{body}</CardContent>
        </Card>
      ) : (
        body
      )}
    </div>
  );
}
