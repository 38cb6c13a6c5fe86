"use client";

import { Toaster as Sonner } from "sonner";

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
    />
  );
}
