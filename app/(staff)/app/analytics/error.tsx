"use client";

import { Button } from "@/components/ui/button";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** The analytics figures failed to load (the rest of the app still works): say so and offer a retry. */
export default function AnalyticsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="grid gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Analytics</h1>
      <Alert variant="destructive">
        <AlertTitle>The figures could not be loaded</AlertTitle>
        <AlertDescription>
          <p>Something went wrong while reading the ledger. Try again in a moment; if it keeps happening, tell your clinic’s admin.</p>
          {error.digest && <p className="mt-2 text-xs">Reference: {error.digest}</p>}
          <Button className="mt-3" variant="outline" size="sm" onClick={reset}>
            Try again
          </Button>
        </AlertDescription>
      </Alert>
    </div>
  );
}
