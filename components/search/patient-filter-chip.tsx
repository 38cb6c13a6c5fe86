import Link from "next/link";
import { X } from "lucide-react";

/** A filter a list is narrowed to ("Age: 61–90 days"), with a link that removes it. */
export function FilterChip({ label, value, removeHref }: { label: string; value: string; removeHref: string }) {
  return (
    <span
      className="inline-flex max-w-full items-center gap-1 rounded-full border bg-secondary py-0.5 pr-0.5 pl-3 text-sm text-secondary-foreground"
      data-testid="filter-chip"
    >
      <span className="truncate">
        {label}: <span className="font-medium">{value}</span>
      </span>
      <Link
        href={removeHref}
        className="inline-flex size-7 shrink-0 items-center justify-center rounded-full hover:bg-background focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
        aria-label={`Remove the filter ${label}: ${value}`}
      >
        <X aria-hidden="true" className="size-3.5" />
      </Link>
    </span>
  );
}

/** The patient a list is narrowed to, with a way back to everyone's. */
export function PatientFilterChip({ name, removeHref }: { name: string; removeHref: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <span className="inline-flex max-w-full items-center gap-1 rounded-full border bg-secondary py-0.5 pr-0.5 pl-3 text-secondary-foreground">
        <span className="truncate">
          Patient: <span className="font-medium">{name}</span>
        </span>
        <Link
          href={removeHref}
          className="inline-flex size-7 shrink-0 items-center justify-center rounded-full hover:bg-background focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
          aria-label={`Remove the filter for ${name}`}
        >
          <X aria-hidden="true" className="size-3.5" />
        </Link>
      </span>
    </div>
  );
}
