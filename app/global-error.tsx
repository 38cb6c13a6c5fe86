"use client";

import "./globals.css";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col items-center justify-center gap-4 px-4 text-center font-sans">
        <h1 className="text-2xl font-semibold">Carebill is temporarily unavailable</h1>
        <p className="max-w-md text-muted-foreground">Please try again in a moment.</p>
        {error.digest && <p className="text-xs text-muted-foreground">Reference: {error.digest}</p>}
        <button className="rounded-md bg-primary px-4 py-2 text-primary-foreground" onClick={reset}>
          Try again
        </button>
      </body>
    </html>
  );
}
