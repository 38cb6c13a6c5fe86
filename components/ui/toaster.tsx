"use client";

import type { CSSProperties } from "react";
import { Toaster as Sonner } from "sonner";

/**
 * Sonner's rich-color text on its pale backgrounds is about 4.3:1 (below WCAG AA's 4.5:1 for this
 * 14 px text): the same hues, darker, at 6:1 or more. Its variables live on the toaster element,
 * so an inline style there wins.
 */
const READABLE_RICH_COLORS = {
  "--success-text": "hsl(140, 100%, 20%)",
  "--info-text": "hsl(210, 92%, 35%)",
  "--warning-text": "hsl(31, 92%, 30%)",
  "--error-text": "hsl(360, 100%, 35%)",
} as CSSProperties;

/**
 * Where success messages appear (sonner: announced through an aria-live region, kept on screen
 * across client navigation). Mounted once per layout; call `toast.success(…)` from "sonner".
 * Errors about a field stay next to the field.
 */
export function Toaster() {
  return (
    <Sonner
      position="bottom-right"
      richColors
      closeButton
      duration={6000}
      toastOptions={{ classNames: { toast: "font-sans text-sm", title: "font-medium" } }}
      containerAriaLabel="Notifications"
      style={READABLE_RICH_COLORS}
    />
  );
}
