import type { ComponentProps } from "react";

import { cn } from "@/lib/utils/cn";
import { controlClasses } from "@/components/ui/input";

// A native <select> on purpose: it submits with plain forms, works without JS and
// gets the platform picker on phones. Multi-selects drop the fixed height and chevron.
function Select({ className, ...props }: ComponentProps<"select">) {
  return (
    <select
      data-slot="select"
      className={cn(
        controlClasses,
        "select-chevron h-10 cursor-pointer appearance-none pr-9 [&[multiple]]:h-auto [&[multiple]]:bg-none [&[multiple]]:pr-3",
        className,
      )}
      {...props}
    />
  );
}

export { Select };
