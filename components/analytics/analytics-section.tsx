import { Download } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** A section of the analytics page: a titled card with its CSV download (the section's figures for the same period). */
export function AnalyticsSection({
  id,
  title,
  description,
  csvHref,
  children,
}: {
  id: string;
  title: string;
  description?: React.ReactNode;
  csvHref?: string;
  children: React.ReactNode;
}) {
  return (
    <section id={`section-${id}`} aria-labelledby={`${id}-title`} data-testid={`section-${id}`} className="scroll-mt-20">
      <Card>
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
          <div className="grid min-w-0 gap-1">
            <CardTitle id={`${id}-title`}>{title}</CardTitle>
            {description && <CardDescription>{description}</CardDescription>}
          </div>
          {csvHref && (
            <a href={csvHref} download className={buttonVariants({ variant: "outline", size: "sm" })} aria-label={`Download ${title} as CSV`}>
              <Download aria-hidden="true" /> CSV
            </a>
          )}
        </CardHeader>
        <CardContent className="grid gap-6">{children}</CardContent>
      </Card>
    </section>
  );
}

/** A sub-heading inside a section, with its info popover beside it. */
export function SubHeading({ children, info }: { children: React.ReactNode; info?: React.ReactNode }) {
  return (
    <div className="flex items-center gap-1">
      <h3 className="text-sm font-semibold">{children}</h3>
      {info}
    </div>
  );
}
