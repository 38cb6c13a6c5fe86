import Link from "next/link";
import { ArrowDown, ArrowUp, ChevronsUpDown } from "lucide-react";
import type { SortHeader } from "@/lib/search/list-params";
import { TableHead } from "@/components/ui/table";
import { cn } from "@/lib/utils/cn";

/**
 * A column header that sorts the list: a link (keyboard and middle-click work, the order lives in
 * the URL), with `aria-sort` on the sorted column so screen readers announce the order.
 */
export function SortableTableHead({ label, header, className }: { label: string; header: SortHeader; className?: string }) {
  const Icon = header.direction === "asc" ? ArrowUp : header.direction === "desc" ? ArrowDown : ChevronsUpDown;
  return (
    <TableHead aria-sort={header.direction === "asc" ? "ascending" : header.direction === "desc" ? "descending" : undefined} className={className}>
      <Link
        href={header.href}
        className={cn(
          "-mx-1 inline-flex items-center gap-1 rounded-sm px-1 py-0.5 hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none",
          header.direction && "text-foreground",
          className?.includes("text-right") && "flex-row-reverse",
        )}
      >
        {label}
        <Icon aria-hidden="true" className={cn("size-3.5 shrink-0", !header.direction && "opacity-40")} />
      </Link>
    </TableHead>
  );
}
