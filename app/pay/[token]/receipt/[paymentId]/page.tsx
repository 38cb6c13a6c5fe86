import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CheckCircle2, Clock, ShieldCheck } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { isRecordId } from "@/lib/http/record-id";
import { formatMoney } from "@/lib/money/currency";
import { getReceipt } from "@/lib/payments/get-receipt";
import { PayShell } from "@/components/pay/pay-shell";
import { PrintButton } from "@/components/pay/print-button";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { formatDateTime } from "@/lib/dates/format-date";

export const metadata: Metadata = { title: "Payment receipt", referrer: "no-referrer" };

const TITLES = { succeeded: "Payment received", processing: "Payment processing", authorized: "Card authorized" } as const;

const brandNames: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover" };

export default async function ReceiptPage({ params }: { params: Promise<{ token: string; paymentId: string }> }) {
  const { token, paymentId } = await params;
  // A malformed payment id names no receipt: the same 404 as a mismatched one.
  if (!isRecordId(paymentId)) notFound();
  const receipt = await getReceipt(await getDb(), { token, paymentId });
  if (!receipt) notFound();
  const money = (amount: number) => formatMoney(amount, receipt.currency);
  const paidAt = formatDateTime(receipt.paidAt, { timeZone: receipt.timeZone }, { style: "long", zoneName: true });

  return (
    <PayShell clinic={receipt.clinic}>
      {/* On paper the page header is hidden: the clinic's name and address head the receipt itself. */}
      <div className="hidden print:block">
        <p className="text-lg font-semibold">{receipt.clinic.name}</p>
        {receipt.clinic.addressLines.length > 0 && <p className="text-sm">{receipt.clinic.addressLines.join(" · ")}</p>}
      </div>
      <Card className="print:border-0 print:shadow-none">
        <CardContent className="grid gap-6 py-8">
          <div className="grid justify-items-center gap-2 text-center">
            {receipt.status === "succeeded" ? (
              <CheckCircle2 aria-hidden="true" className="size-12 text-success" />
            ) : receipt.status === "authorized" ? (
              <ShieldCheck aria-hidden="true" className="size-12 text-primary" />
            ) : (
              <Clock aria-hidden="true" className="size-12 text-warning" />
            )}
            <h1 className="text-2xl font-semibold tracking-tight">{TITLES[receipt.status]}</h1>
            <p className="text-3xl font-semibold tabular-nums" data-testid="receipt-amount">
              {money(receipt.amount)}
            </p>
            {receipt.status === "authorized" ? (
              <p className="max-w-md text-sm text-muted-foreground" data-testid="authorized-note">
                Thank you. Your card was authorized for this amount but not charged yet. {receipt.clinic.name} will charge it later, up to this amount; until
                then you may see it as a pending hold on your statement.
              </p>
            ) : (
              <p className="text-sm text-muted-foreground" data-testid="receipt-emailed">
                Thank you.{" "}
                {receipt.status !== "succeeded"
                  ? "We'll confirm it shortly."
                  : receipt.emailedTo
                    ? `A copy of this receipt ${receipt.emailedTo.status === "sent" ? "was emailed" : "is being emailed"} to ${receipt.emailedTo.maskedAddress}.`
                    : "No copy was emailed: print this page or save it as a PDF to keep it."}
              </p>
            )}
          </div>
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 border-t pt-4 text-sm">
            <dt className="text-muted-foreground">Receipt</dt>
            <dd className="text-right font-mono" data-testid="receipt-number">
              {receipt.receiptNumber}
            </dd>
            <dt className="text-muted-foreground">Invoice</dt>
            <dd className="text-right">{receipt.invoiceNumber}</dd>
            <dt className="text-muted-foreground">Date</dt>
            <dd className="text-right">{paidAt}</dd>
            {receipt.cardLast4 && (
              <>
                <dt className="text-muted-foreground">{receipt.status === "authorized" ? "Card on hold" : "Paid with"}</dt>
                <dd className="text-right">
                  {brandNames[receipt.cardBrand ?? ""] ?? "Card"} ending in {receipt.cardLast4}
                </dd>
              </>
            )}
            <dt className="font-medium">Remaining balance</dt>
            <dd className="text-right font-medium tabular-nums" data-testid="remaining-balance">
              {money(receipt.remainingBalance)}
            </dd>
          </dl>
          <div className="flex flex-wrap justify-center gap-3" data-print-hidden>
            <PrintButton />
            {receipt.remainingBalance > 0 && (
              <Link href={`/pay/${token}`} className={buttonVariants()}>
                Pay the remaining balance
              </Link>
            )}
          </div>
        </CardContent>
      </Card>
    </PayShell>
  );
}
