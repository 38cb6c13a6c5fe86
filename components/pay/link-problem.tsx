import { LinkIcon } from "lucide-react";
import { Card, CardContent } from "@/components/ui/card";

const MESSAGES = {
  invalid: {
    title: "This payment link isn't valid",
    body: "It may have been copied incompletely. Open the link from your most recent email, or contact the clinic for a new one.",
  },
  expired: {
    title: "This payment link has expired",
    body: "For your security, payment links stop working after a while. Contact the clinic and ask for a new link.",
  },
  revoked: {
    title: "This payment link is no longer active",
    body: "The clinic has replaced or withdrawn it. Use the link in your most recent email, or contact the clinic.",
  },
  closed: {
    title: "This invoice can no longer be paid online",
    body: "It has been closed by the clinic. If you think this is a mistake, please contact them.",
  },
} as const;

export function LinkProblem({ reason }: { reason: keyof typeof MESSAGES }) {
  const message = MESSAGES[reason];
  return (
    <Card>
      <CardContent className="grid justify-items-center gap-3 py-10 text-center">
        <span className="flex size-12 items-center justify-center rounded-full bg-muted">
          <LinkIcon aria-hidden="true" className="size-6 text-muted-foreground" />
        </span>
        <h1 className="text-xl font-semibold">{message.title}</h1>
        <p className="max-w-sm text-muted-foreground">{message.body}</p>
      </CardContent>
    </Card>
  );
}
