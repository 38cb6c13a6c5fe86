import type { Metadata } from "next";
import { FileQuestion } from "lucide-react";
import { PayShell } from "@/components/pay/pay-shell";
import { Card, CardContent } from "@/components/ui/card";

export const metadata: Metadata = { title: "Receipt not found", referrer: "no-referrer" };

/**
 * A receipt address that names no receipt of this link's invoice (a mistyped or other invoice's
 * payment, or a link no longer active): the patient's page, in the pay pages' frame, not the staff 404.
 */
export default function ReceiptNotFound() {
  return (
    <PayShell>
      <Card>
        <CardContent className="grid justify-items-center gap-3 py-10 text-center">
          <span className="flex size-12 items-center justify-center rounded-full bg-muted">
            <FileQuestion aria-hidden="true" className="size-6 text-muted-foreground" />
          </span>
          <h1 className="text-xl font-semibold">We can&apos;t find this receipt</h1>
          <p className="max-w-sm text-muted-foreground">
            The address may have been copied incompletely, or the payment link it belongs to is no longer active. Open the receipt from your most recent email,
            or contact the clinic for a copy.
          </p>
        </CardContent>
      </Card>
    </PayShell>
  );
}
