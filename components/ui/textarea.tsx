import type { ComponentProps } from "react";

import { cn } from "@/lib/utils/cn";
import { controlClasses } from "@/components/ui/input";

function Textarea({ className, ...props }: ComponentProps<"textarea">) {
  return <textarea data-slot="textarea" className={cn(controlClasses, "min-h-24 resize-y", className)} {...props} />;
}

export { Textarea };
