import type { ReactNode } from "react";
import type { PayPageClinic } from "@/lib/payments/get-pay-page";

/** The pay pages' frame: the clinic's name on top, a narrow column that suits a phone. */
export function PayShell({ clinic, children }: { clinic?: PayPageClinic; children: ReactNode }) {
  return (
    <div className="min-h-dvh bg-muted/40">
      <header className="border-b bg-card" data-print-hidden>
        <div className="mx-auto flex max-w-xl flex-col gap-0.5 px-4 py-4">
          <p className="text-lg font-semibold tracking-tight">{clinic?.name ?? "Online payment"}</p>
          {clinic && clinic.addressLines.length > 0 && <p className="text-sm text-muted-foreground">{clinic.addressLines.join(" · ")}</p>}
        </div>
      </header>
      <main className="mx-auto grid max-w-xl gap-4 px-4 py-6">{children}</main>
      <footer className="mx-auto max-w-xl px-4 pb-8 text-center text-xs text-muted-foreground" data-print-hidden>
        Secure payment by Stripe · Billing by Carebill
      </footer>
    </div>
  );
}
