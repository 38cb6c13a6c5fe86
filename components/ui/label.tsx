"use client";

import type { ComponentProps } from "react";
import { Label as LabelPrimitive } from "@radix-ui/react-label";

import { cn } from "@/lib/utils/cn";

function Label({ className, ...props }: ComponentProps<typeof LabelPrimitive>) {
  return (
    <LabelPrimitive
      data-slot="label"
      className={cn(
        "flex items-center gap-1 text-sm leading-none font-medium select-none peer-disabled:cursor-not-allowed peer-disabled:opacity-50",
        className,
      )}
      {...props}
    />
  );
}

export { Label };
