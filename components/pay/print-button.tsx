"use client";

import { Printer } from "lucide-react";
import { Button } from "@/components/ui/button";

/** Opens the browser's print dialog; left out of the printout itself. */
export function PrintButton({ label = "Print receipt" }: { label?: string }) {
  return (
    <Button variant="outline" onClick={() => window.print()} data-print-hidden>
      <Printer aria-hidden="true" /> {label}
    </Button>
  );
}
