import type { ComponentProps } from "react";
import { cva, type VariantProps } from "class-variance-authority";
import { CircleAlert, CircleCheck, Info, TriangleAlert, type LucideIcon } from "lucide-react";

import { cn } from "@/lib/utils/cn";

const alertVariants = cva(
  "relative grid w-full grid-cols-[0_1fr] items-start gap-y-0.5 rounded-lg border px-4 py-3 text-sm text-foreground has-[>svg]:grid-cols-[calc(var(--spacing)*4)_1fr] has-[>svg]:gap-x-3 [&>svg]:size-4 [&>svg]:translate-y-0.5",
  {
    variants: {
      variant: {
        info: "border-primary/30 bg-primary/5 [&>svg]:text-primary",
        success: "border-success/30 bg-success/10 [&>svg]:text-success",
        warning: "border-warning/60 bg-warning/10 [&>svg]:text-warning-foreground",
        destructive: "border-destructive/30 bg-destructive/5 [&>svg]:text-destructive",
      },
    },
    defaultVariants: {
      variant: "info",
    },
  },
);

type AlertVariant = NonNullable<VariantProps<typeof alertVariants>["variant"]>;

// An icon per variant so meaning is never carried by colour alone.
const defaultIcons: Record<AlertVariant, LucideIcon> = {
  info: Info,
  success: CircleCheck,
  warning: TriangleAlert,
  destructive: CircleAlert,
};

type AlertProps = ComponentProps<"div"> &
  VariantProps<typeof alertVariants> & {
    /** Overrides the variant's icon; `null` hides it. */
    icon?: LucideIcon | null;
  };

function Alert({ className, variant, icon, children, ...props }: AlertProps) {
  const resolved = variant ?? "info";
  const Icon = icon === undefined ? defaultIcons[resolved] : icon;

  return (
    <div
      data-slot="alert"
      // Only errors interrupt the screen reader; everything else waits politely.
      role={resolved === "destructive" ? "alert" : "status"}
      className={cn(alertVariants({ variant }), className)}
      {...props}
    >
      {Icon && <Icon aria-hidden="true" />}
      {children}
    </div>
  );
}

function AlertTitle({ className, ...props }: ComponentProps<"div">) {
  return <div data-slot="alert-title" className={cn("col-start-2 leading-5 font-medium", className)} {...props} />;
}

function AlertDescription({ className, ...props }: ComponentProps<"div">) {
  return (
    <div data-slot="alert-description" className={cn("col-start-2 grid gap-1 text-sm text-muted-foreground [&_p]:leading-relaxed", className)} {...props} />
  );
}

export { Alert, AlertTitle, AlertDescription, alertVariants, type AlertProps };
