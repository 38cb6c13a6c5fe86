import type { ReactNode } from "react";
import { Logo } from "./logo";

/** The full-page layout for 403, 404 and error pages. */
export function StatusPage({ code, title, children, actions }: { code: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted/40 px-4 py-10 text-center">
      <Logo className="text-lg" />
      <div className="grid max-w-md gap-3">
        <p className="text-sm font-semibold text-primary">{code}</p>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <div className="text-muted-foreground">{children}</div>
      </div>
      {actions && <div className="flex flex-wrap justify-center gap-3">{actions}</div>}
    </main>
  );
}
