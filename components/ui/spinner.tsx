import { Loader2, type LucideProps } from "lucide-react";

import { cn } from "@/lib/utils/cn";

type SpinnerProps = LucideProps & {
  /** Announced to screen readers. */
  label?: string;
};

function Spinner({ className, label = "Loading", ...props }: SpinnerProps) {
  return <Loader2 data-slot="spinner" role="status" aria-label={label} className={cn("size-4 animate-spin text-muted-foreground", className)} {...props} />;
}

export { Spinner, type SpinnerProps };
