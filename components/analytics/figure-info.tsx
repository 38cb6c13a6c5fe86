"use client";

import { Info } from "lucide-react";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";

/** A figure's definition as the analytics page, reports API, CSV and PDF share it. */
export type FigureDefinition = { label: string; definition: string; formula: string };

/** The ⓘ next to a figure: its definition and formula one click (or Enter) away. */
export function FigureInfo({ figure }: { figure: FigureDefinition }) {
  return (
    <Popover>
      <PopoverTrigger
        className="inline-flex size-7 shrink-0 cursor-pointer items-center justify-center rounded-full text-muted-foreground hover:bg-accent hover:text-accent-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
        aria-label={`How ${figure.label} is computed`}
        data-testid="figure-info"
      >
        <Info aria-hidden="true" className="size-4" />
      </PopoverTrigger>
      <PopoverContent aria-label={`${figure.label}: definition`}>
        <p className="font-semibold">{figure.label}</p>
        <p className="mt-1 text-muted-foreground">{figure.definition}</p>
        <p className="mt-3 rounded-md bg-muted px-3 py-2 font-mono text-xs leading-relaxed">{figure.formula}</p>
      </PopoverContent>
    </Popover>
  );
}
