import Link from "next/link";
import { cn } from "@/lib/utils/cn";
import { changeOf, type Trend } from "@/lib/analytics/figure-format";
import { FigureInfo, type FigureDefinition } from "./figure-info";

export type FigureChange = {
  current: number | null;
  previous: number | null;
  kind: "amount" | "rate";
  /** Which way is good news (collections up, refunds down); "neutral" colours neither. */
  better: "up" | "down" | "neutral";
};

const ARROWS: Record<Trend, string> = { up: "▲", down: "▼", flat: "■", new: "▲", none: "" };

/** ▲ 12.4% beside a figure: the change from the previous period of the same length. */
export function ChangeIndicator({ change, previousLabel }: { change: FigureChange; previousLabel: string }) {
  const { trend, text } = changeOf(change.current, change.previous, change.kind);
  if (trend === "none") return text === "no comparison" ? null : <span className="text-xs text-muted-foreground">{text}</span>;
  const good = change.better === "neutral" || trend === "flat" ? null : (trend === "down") === (change.better === "down");
  const words = trend === "up" || trend === "new" ? "up" : trend === "down" ? "down" : "unchanged";
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 text-xs font-medium tabular-nums",
        good === null ? "text-muted-foreground" : good ? "text-success" : "text-destructive",
      )}
      data-testid="figure-change"
    >
      <span aria-hidden="true">{ARROWS[trend]}</span>
      <span aria-hidden="true">{text}</span>
      <span className="sr-only">{trend === "new" ? `new, none in ${previousLabel}` : `${words} ${text} from ${previousLabel}`}</span>
    </span>
  );
}

/**
 * One figure: its label with the definition beside it, the value (a link to the rows behind it when
 * there are any), the change from the previous period and a line of detail.
 */
export function FigureTile({
  id,
  definition,
  value,
  href,
  change,
  previousLabel = "the previous period",
  detail,
  className,
}: {
  id: string;
  definition: FigureDefinition;
  value: string;
  href?: string;
  change?: FigureChange;
  previousLabel?: string;
  detail?: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={cn("flex min-w-0 flex-col gap-1 rounded-lg border bg-card p-3 sm:p-4", className)} data-testid={`figure-${id}`}>
      <div className="flex items-start justify-between gap-2">
        <p className="pt-1 text-sm leading-5 text-muted-foreground" id={`figure-${id}-label`}>
          {definition.label}
        </p>
        <FigureInfo figure={definition} />
      </div>
      {href ? (
        <Link
          href={href}
          className="w-fit rounded-sm text-xl font-semibold tabular-nums sm:text-2xl underline-offset-4 hover:underline focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
          aria-describedby={`figure-${id}-label`}
          data-testid="figure-value"
        >
          {value}
        </Link>
      ) : (
        <p className="text-xl font-semibold tabular-nums sm:text-2xl" data-testid="figure-value">
          {value}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
        {change && <ChangeIndicator change={change} previousLabel={previousLabel} />}
        {detail}
      </div>
    </div>
  );
}
