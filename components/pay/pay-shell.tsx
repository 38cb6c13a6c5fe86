import type { ReactNode } from "react";
import { Globe, Mail, Phone } from "lucide-react";
import type { PayPageClinic } from "@/lib/payments/get-pay-page";

/** The ways to reach the clinic, as links: call, email, visit. */
export function ClinicContactLinks({ clinic, className }: { clinic: PayPageClinic; className?: string }) {
  if (!clinic.phone && !clinic.email && !clinic.website) return null;
  const link = "inline-flex items-center gap-1.5 underline-offset-4 hover:underline focus-visible:underline";
  return (
    <ul className={className ?? "flex flex-wrap gap-x-4 gap-y-1 text-sm"} aria-label={`Contact ${clinic.name}`} data-testid="clinic-contact">
      {clinic.phone && (
        <li>
          {clinic.phone.href ? (
            <a className={link} href={clinic.phone.href}>
              <Phone aria-hidden="true" className="size-3.5" />
              {clinic.phone.display}
            </a>
          ) : (
            <span className="inline-flex items-center gap-1.5">
              <Phone aria-hidden="true" className="size-3.5" />
              {clinic.phone.display}
            </span>
          )}
        </li>
      )}
      {clinic.email && (
        <li>
          <a className={`${link} break-all`} href={`mailto:${clinic.email}`}>
            <Mail aria-hidden="true" className="size-3.5 shrink-0" />
            {clinic.email}
          </a>
        </li>
      )}
      {clinic.website && (
        <li>
          <a className={link} href={clinic.website.href} rel="noopener noreferrer" target="_blank">
            <Globe aria-hidden="true" className="size-3.5" />
            {clinic.website.display}
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        </li>
      )}
    </ul>
  );
}

/** The pay pages' frame: the clinic's logo, name, address and how to reach it on top, a narrow column that suits a phone. */
export function PayShell({ clinic, children }: { clinic?: PayPageClinic | null; children: ReactNode }) {
  return (
    <div className="min-h-dvh bg-muted/40">
      <header className="border-b bg-card" data-print-hidden>
        <div className="mx-auto flex max-w-xl items-center gap-3 px-4 py-4">
          {clinic?.logoPath && (
            // A plain <img>: the logo comes from our own route with its own cache headers; the image optimizer would only re-encode it.
            // eslint-disable-next-line @next/next/no-img-element
            <img src={clinic.logoPath} alt="" className="h-12 w-auto max-w-28 shrink-0 object-contain" data-testid="clinic-logo" />
          )}
          <div className="flex min-w-0 flex-col gap-0.5">
            <p className="text-lg font-semibold tracking-tight">{clinic?.name ?? "Online payment"}</p>
            {clinic && clinic.addressLines.length > 0 && <p className="text-sm text-muted-foreground">{clinic.addressLines.join(" · ")}</p>}
            {clinic && <ClinicContactLinks clinic={clinic} className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm text-muted-foreground" />}
          </div>
        </div>
      </header>
      <main className="mx-auto grid max-w-xl gap-4 px-4 py-6">{children}</main>
      <footer className="mx-auto max-w-xl px-4 pb-8 text-center text-xs text-muted-foreground" data-print-hidden>
        Secure payment by Stripe · Billing by Carebill
      </footer>
    </div>
  );
}
