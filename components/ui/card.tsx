import type { ComponentProps, HTMLAttributes, Ref } from "react";

import { cn } from "@/lib/utils/cn";

type HeadingTag = "h1" | "h2" | "h3" | "h4" | "p";

function Card({ className, ...props }: ComponentProps<"div">) {
  return <div data-slot="card" className={cn("rounded-lg border bg-card text-card-foreground shadow-xs", className)} {...props} />;
}

function CardHeader({ className, ...props }: ComponentProps<"div">) {
  return <div data-slot="card-header" className={cn("flex flex-col gap-1.5 p-4 sm:p-6", className)} {...props} />;
}

// Defaults to h2 under the page's h1 (PageHeader); pass `as` to keep the outline correct when nested.
function CardTitle({ as: Tag = "h2", className, ...props }: HTMLAttributes<HTMLHeadingElement> & { as?: HeadingTag; ref?: Ref<HTMLHeadingElement> }) {
  return <Tag data-slot="card-title" className={cn("text-lg leading-tight font-semibold", className)} {...props} />;
}

function CardDescription({ className, ...props }: ComponentProps<"p">) {
  return <p data-slot="card-description" className={cn("text-sm text-muted-foreground", className)} {...props} />;
}

function CardContent({ className, ...props }: ComponentProps<"div">) {
  return <div data-slot="card-content" className={cn("p-4 pt-0 sm:p-6 sm:pt-0", className)} {...props} />;
}

function CardFooter({ className, ...props }: ComponentProps<"div">) {
  return <div data-slot="card-footer" className={cn("flex flex-wrap items-center gap-2 p-4 pt-0 sm:p-6 sm:pt-0", className)} {...props} />;
}

export { Card, CardHeader, CardTitle, CardDescription, CardContent, CardFooter, type HeadingTag };
