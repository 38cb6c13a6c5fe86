import type { ComponentProps } from "react";

import { cn } from "@/lib/utils/cn";

type SeparatorProps = ComponentProps<"div"> & {
  orientation?: "horizontal" | "vertical";
  /** Purely visual lines are hidden from assistive tech instead of announced as separators. */
  decorative?: boolean;
};

function Separator({ className, orientation = "horizontal", decorative = false, ...props }: SeparatorProps) {
  const semantics = decorative ? { role: "none" } : { role: "separator", "aria-orientation": orientation === "vertical" ? ("vertical" as const) : undefined };

  return (
    <div
      data-slot="separator"
      data-orientation={orientation}
      {...semantics}
      className={cn(
        "shrink-0 bg-border data-[orientation=horizontal]:h-px data-[orientation=horizontal]:w-full data-[orientation=vertical]:h-full data-[orientation=vertical]:w-px",
        className,
      )}
      {...props}
    />
  );
}

export { Separator, type SeparatorProps };
