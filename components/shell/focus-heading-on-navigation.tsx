"use client";

import { useEffect, useRef } from "react";
import { usePathname } from "next/navigation";

/** How long to wait for a slow page to stream in; the person acting first (a key, a click) ends the wait at once. */
const WAIT_MS = 60_000;

/**
 * After a client-side navigation to another page (not on first load, not when only the query
 * changes, e.g. a filter), moves focus to the new page's h1 so screen readers announce where the
 * person landed and Tab continues from the top of the content. Waits for the page to stream in
 * (a loading skeleton has no h1; on a busy server that can take many seconds), and leaves focus
 * alone when the page put it in a field itself, a dialog is open, or the person pressed a key or
 * clicked meanwhile (they are already somewhere).
 */
export function FocusHeadingOnNavigation() {
  const pathname = usePathname();
  const previous = useRef(pathname);

  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    const started = performance.now();
    let frame = 0;
    let interrupted = false;
    const interrupt = () => {
      interrupted = true;
    };
    window.addEventListener("keydown", interrupt, { capture: true, once: true });
    window.addEventListener("pointerdown", interrupt, { capture: true, once: true });
    const tryFocus = () => {
      if (interrupted) return;
      const active = document.activeElement;
      // The page focused one of its fields itself: that is where the person should be.
      if (active instanceof HTMLElement && active.closest("main") && active.matches("input, textarea, select")) return;
      const heading = document.querySelector<HTMLElement>("main h1");
      // A dialog still closing (the action that navigated) gives focus back on its own: wait for it.
      const dialogOpen = document.querySelector("[role=dialog], [role=alertdialog]") !== null;
      if (heading && !dialogOpen && !heading.closest("[aria-busy=true]")) {
        if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
        return;
      }
      if (performance.now() - started < WAIT_MS) frame = requestAnimationFrame(tryFocus);
    };
    frame = requestAnimationFrame(tryFocus);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("keydown", interrupt, { capture: true });
      window.removeEventListener("pointerdown", interrupt, { capture: true });
    };
  }, [pathname]);

  return null;
}
