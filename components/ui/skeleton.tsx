import type { ComponentProps } from "react";

import { cn } from "@/lib/utils/cn";

// Decorative only: put aria-busy or a Spinner on the region that is loading so screen readers hear it once.
function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return <div data-slot="skeleton" aria-hidden="true" className={cn("animate-pulse rounded-md bg-muted", className)} {...props} />;
}

export { Skeleton };
