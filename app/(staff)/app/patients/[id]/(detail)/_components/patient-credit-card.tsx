import Link from "next/link";
import { getDb } from "@/lib/db/client";
import { formatMoney } from "@/lib/money/currency";
import { getPatientCreditHistory } from "@/lib/patient-credit/get-patient-credit-history";
import { listRefundableCredit } from "@/lib/patient-credit/refund-patient-credit";
import { refundPatientCreditAction } from "@/lib/actions/patient-credit/refund-patient-credit";
import { RefundCreditDialog } from "@/components/patient-credit/refund-credit-dialog";
import { formatDate } from "@/components/invoices/invoice-format";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

type PatientCreditCardProps = {
  organizationId: string;
  patientId: string;
  timeZone: string;
  /** Billing staff and admins may refund unused credit. */
  canRefund: boolean;
  className?: string;
};

/**
 * The patient's credit: what they can still use per currency, and every movement (overpayments,
 * credit notes, kept excess in; applications to invoices and refunds out), newest first, each
 * linked to its invoice or payment. Read from the ledger, so it always adds up to the balance.
 */
export async function PatientCreditCard({ organizationId, patientId, timeZone, canRefund, className }: PatientCreditCardProps) {
  const db = await getDb();
  const [{ balances, events }, refundable] = await Promise.all([
    getPatientCreditHistory(db, { organizationId, patientId, limit: 50 }),
    canRefund ? listRefundableCredit(db, { organizationId, patientId }) : Promise.resolve([]),
  ]);

  return (
    <Card className={className} data-testid="patient-credit">
      <CardHeader>
        <CardTitle>Credit</CardTitle>
        <CardDescription>
          {balances.length === 0 ? "No credit to use." : "Prepayments, overpayments and credit notes the patient can put toward invoices."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {balances.length > 0 && (
          <ul className="grid gap-1" data-testid="patient-credit-balance">
            {balances.map((balance) => (
              <li key={balance.currency} className="text-2xl font-semibold tabular-nums">
                {formatMoney(balance.balance, balance.currency)}
                {balances.length > 1 && <span className="ml-2 text-sm font-normal text-muted-foreground">{balance.currency}</span>}
              </li>
            ))}
          </ul>
        )}
        {refundable.length > 0 && (
          <RefundCreditDialog
            patientId={patientId}
            refund={refundPatientCreditAction}
            options={refundable.map((option) => ({
              paymentId: option.paymentId,
              label: [option.prepayment ? "Prepayment" : "Overpayment", option.label, option.receiptNumber, formatDate(option.receivedAt, timeZone)]
                .filter(Boolean)
                .join(" · "),
              currency: option.currency,
              method: option.method,
              refundable: option.refundable,
              blockedReason: option.blockedReason,
            }))}
          />
        )}
        {events.length === 0 ? (
          <p className="text-sm text-muted-foreground">Overpayments, credit notes and kept change appear here, with where the credit went.</p>
        ) : (
          <div className="grid gap-2">
            <h3 className="text-sm font-medium">History</h3>
            <ul className="grid gap-3 text-sm" data-testid="patient-credit-history">
              {events.map((event) => (
                <li key={event.id} className="flex items-start justify-between gap-3">
                  <span className="min-w-0">
                    <span className="block">{event.label}</span>
                    <span className="block text-xs text-muted-foreground">
                      {formatDate(event.occurredAt, timeZone)}
                      {event.invoice && (
                        <>
                          {" · "}
                          <Link href={`/app/invoices/${event.invoice.id}`} className="text-primary hover:underline">
                            {event.invoice.number ?? "Invoice"}
                          </Link>
                        </>
                      )}
                      {event.paymentId && (
                        <>
                          {" · "}
                          <Link href={`/app/payments/${event.paymentId}`} className="text-primary hover:underline">
                            Payment
                          </Link>
                        </>
                      )}
                    </span>
                  </span>
                  {/* One unbreakable amount: the sign never wraps away from the number in a narrow card. */}
                  <span className={event.amount > 0 ? "shrink-0 whitespace-nowrap tabular-nums text-success" : "shrink-0 whitespace-nowrap tabular-nums"}>
                    <span className="sr-only">{event.amount > 0 ? "Received " : "Used "}</span>
                    {event.amount > 0 ? "+" : "−"}
                    {formatMoney(Math.abs(event.amount), event.currency)}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
