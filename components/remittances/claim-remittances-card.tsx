import Link from "next/link";
import type { ClaimRemittanceView } from "@/lib/remittances/remittances.types";
import { formatDateTime, formatIsoDate } from "@/components/invoices/invoice-format";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ClaimPayment } from "./claim-payment";
import { RemittanceStatusBadge } from "./remittance-status-badge";

/** A claim's page: every claim payment (835 CLP) matched to it, with where it stands in the books (posted, held, reversed). */
export function ClaimRemittancesCard({ payments, timeZone }: { payments: ClaimRemittanceView[]; timeZone: string }) {
  return (
    <Card className="lg:col-span-3">
      <CardHeader>
        <CardTitle>Remittances</CardTitle>
        <CardDescription>What the payer paid and adjusted, from its 835 files, and where each payment stands in the books.</CardDescription>
      </CardHeader>
      <CardContent>
        {payments.length === 0 ? (
          <p className="text-sm text-muted-foreground">No remittance names this claim yet.</p>
        ) : (
          <div className="grid gap-6 divide-y [&>*+*]:pt-6" data-testid="claim-remittances">
            {payments.map((payment) => (
              <ClaimPayment
                key={payment.id}
                payment={payment}
                heading={
                  <span className="flex flex-wrap items-center gap-2">
                    <Link href={`/app/claims/remittances/${payment.remittance.id}`} className="text-primary underline-offset-4 hover:underline">
                      {payment.remittance.payerName}, payment {payment.remittance.traceNumber}
                    </Link>
                    <span className="text-sm font-normal text-muted-foreground">
                      {payment.remittance.paidOn
                        ? formatIsoDate(payment.remittance.paidOn)
                        : `received ${formatDateTime(payment.remittance.createdAt, timeZone)}`}
                    </span>
                    <RemittanceStatusBadge status={payment.remittance.status} />
                  </span>
                }
              />
            ))}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
