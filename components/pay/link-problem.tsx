import { LinkIcon } from "lucide-react";
import type { PayPageClinic } from "@/lib/payments/get-pay-page";
import { Card, CardContent } from "@/components/ui/card";
import { ClinicContactLinks } from "./pay-shell";

type Reason = "invalid" | "expired" | "revoked" | "closed";

const TITLES: Record<Reason, string> = {
  invalid: "This payment link isn't valid",
  expired: "This payment link has expired",
  revoked: "This payment link is no longer active",
  closed: "This invoice can no longer be paid online",
};

/** What went wrong and what to do, naming the clinic when the link says whose it is. */
function body(reason: Reason, clinicName: string | null): string {
  const them = clinicName ?? "the clinic";
  switch (reason) {
    case "invalid":
      return clinicName
        ? `It may have been copied incompletely. Open the link from your most recent email from ${clinicName}, or ask them for a new one.`
        : "It may have been copied incompletely, and we can't tell which clinic it is from. Open the link from your most recent email, or ask the clinic that billed you for a new one.";
    case "expired":
      return `For your security, payment links stop working after a while. Ask ${them} for a new link.`;
    case "revoked":
      return `${clinicName ?? "The clinic"} has replaced or withdrawn it. Use the link in your most recent email, or contact ${them}.`;
    case "closed":
      return `It has been closed by ${them}. If you think this is a mistake, please contact them.`;
  }
}

/**
 * The pay page's error states. With `clinic` (an expired or revoked link is known to be the
 * clinic's) it names the clinic and how to reach it; without, it says plainly that the link
 * cannot be traced to a clinic.
 */
export function LinkProblem({ reason, clinic = null }: { reason: Reason; clinic?: PayPageClinic | null }) {
  return (
    <Card>
      <CardContent className="grid justify-items-center gap-3 py-10 text-center">
        <span className="flex size-12 items-center justify-center rounded-full bg-muted">
          <LinkIcon aria-hidden="true" className="size-6 text-muted-foreground" />
        </span>
        <h1 className="text-xl font-semibold">{TITLES[reason]}</h1>
        <p className="max-w-sm text-muted-foreground">{body(reason, clinic?.name ?? null)}</p>
        {clinic && (clinic.phone || clinic.email || clinic.website) && (
          <div className="grid justify-items-center gap-1 pt-2">
            <p className="text-sm font-medium">Reach {clinic.name}</p>
            <ClinicContactLinks clinic={clinic} className="flex flex-wrap justify-center gap-x-4 gap-y-1 text-sm" />
          </div>
        )}
      </CardContent>
    </Card>
  );
}
