import type { ComponentProps, ReactNode } from "react";
import type { LucideIcon } from "lucide-react";

import { cn } from "@/lib/utils/cn";
import type { HeadingTag } from "@/components/ui/card";

type EmptyStateProps = Omit<ComponentProps<"div">, "title"> & {
  icon?: LucideIcon;
  title: ReactNode;
  description?: ReactNode;
  action?: ReactNode;
  /** Heading element for the title; h3 suits an empty state inside a Card under an h2. */
  titleAs?: HeadingTag;
};

// No "use client": the icon is a component, which Server Components can pass here but not to a client file.
function EmptyState({ icon: Icon, title, description, action, titleAs: Title = "h3", className, ...props }: EmptyStateProps) {
  return (
    <div
      data-slot="empty-state"
      className={cn("flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed px-6 py-12 text-center", className)}
      {...props}
    >
      {Icon && (
        <div className="flex size-12 items-center justify-center rounded-full bg-muted">
          <Icon aria-hidden="true" className="size-6 text-muted-foreground" />
        </div>
      )}
      <div className="grid max-w-md gap-1">
        <Title className="text-base font-semibold">{title}</Title>
        {description && <p className="text-sm text-muted-foreground">{description}</p>}
      </div>
      {action && <div className="mt-2 flex flex-wrap justify-center gap-2">{action}</div>}
    </div>
  );
}

export { EmptyState, type EmptyStateProps };
