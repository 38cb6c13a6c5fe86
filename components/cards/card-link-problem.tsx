import { LinkIcon } from "lucide-react";
import type { ClinicContact } from "@/lib/organizations/clinic-contact";
import { ClinicContactLinks } from "@/components/pay/pay-shell";
import { Card, CardContent } from "@/components/ui/card";

type Reason = "invalid" | "expired" | "revoked";

const TITLES: Record<Reason, string> = {
  invalid: "This card link isn't valid",
  expired: "This card link has expired",
  revoked: "This card link is no longer active",
};

/** The card page's error states, naming the clinic when the link says whose it is. */
export function CardLinkProblem({ reason, clinic }: { reason: Reason; clinic: ClinicContact | null }) {
  const them = clinic?.name ?? "the clinic";
  const body =
    reason === "invalid"
      ? "It may have been copied incompletely. Open the link from your most recent email, or ask the clinic for a new one."
      : reason === "expired"
        ? `For your security, card links stop working after a few days. Ask ${them} for a new link.`
        : `${clinic?.name ?? "The clinic"} has replaced or withdrawn it. Use the link in your most recent email, or contact ${them}.`;
  return (
    <Card>
      <CardContent className="grid justify-items-center gap-3 py-10 text-center">
        <span className="flex size-12 items-center justify-center rounded-full bg-muted">
          <LinkIcon aria-hidden="true" className="size-6 text-muted-foreground" />
        </span>
        <h1 className="text-xl font-semibold">{TITLES[reason]}</h1>
        <p className="max-w-sm text-muted-foreground">{body}</p>
        {clinic && <ClinicContactLinks clinic={clinic} className="flex flex-wrap justify-center gap-x-4 gap-y-1 text-sm" />}
      </CardContent>
    </Card>
  );
}
