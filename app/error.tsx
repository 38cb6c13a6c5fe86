"use client";

import { StatusPage } from "@/components/shell/status-page";
import { Button } from "@/components/ui/button";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <StatusPage code="Temporarily unavailable" title="We couldn't load this page" actions={<Button onClick={reset}>Try again</Button>}>
      <p>Carebill may be having trouble reaching its database. Try again in a moment; if it keeps happening, tell your clinic&apos;s admin.</p>
      {error.digest && <p className="mt-3 text-xs">Reference: {error.digest}</p>}
    </StatusPage>
  );
}
