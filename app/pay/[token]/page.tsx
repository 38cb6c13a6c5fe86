import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { CheckCircle2 } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { formatMoney } from "@/lib/money/currency";
import { getPayPage } from "@/lib/payments/get-pay-page";
import { assertPayPageRate } from "@/lib/payments/pay-page-rate-limit";
import { InvoiceSummary } from "@/components/pay/invoice-summary";
import { LinkProblem } from "@/components/pay/link-problem";
import { PayForm } from "@/components/pay/pay-form";
import { PayShell } from "@/components/pay/pay-shell";
import { buttonVariants } from "@/components/ui/button";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent } from "@/components/ui/card";
import { RateLimitedNotice } from "@/components/pay/rate-limited-notice";

export const metadata: Metadata = { title: "Pay your invoice", referrer: "no-referrer" };

export default async function PayPage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ token }, query] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const page = await getPayPage(db, token);
  if (page.kind === "problem") {
    return (
      <PayShell clinic={page.clinic}>
        <LinkProblem reason={page.reason} clinic={page.clinic} />
      </PayShell>
    );
  }
  try {
    await assertPayPageRate(db, { kind: "view", ip: clientIpFromHeaders(await headers()), linkId: page.linkId });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return (
      <PayShell clinic={page.clinic}>
        <RateLimitedNotice message={error.message} />
      </PayShell>
    );
  }

  return (
    <PayShell clinic={page.clinic}>
      <h1 className="text-2xl font-semibold tracking-tight">Hello {page.patientFirstName},</h1>
      {page.kind === "paid" && (
        <Card>
          <CardContent className="grid justify-items-center gap-3 py-8 text-center">
            <CheckCircle2 aria-hidden="true" className="size-10 text-success" />
            <p className="text-lg font-semibold">This invoice is paid. Thank you!</p>
            {page.lastPaymentId && (
              <Link className={buttonVariants({ variant: "outline" })} href={`/pay/${token}/receipt/${page.lastPaymentId}`}>
                View your receipt
              </Link>
            )}
          </CardContent>
        </Card>
      )}
      {page.kind === "closed" && <LinkProblem reason="closed" clinic={page.clinic} />}
      {page.kind === "payable" && (
        <p className="text-muted-foreground">
          Here is your invoice from {page.clinic.name}. The balance due is{" "}
          <strong className="text-foreground">{formatMoney(page.invoice.amountDue, page.invoice.currency)}</strong>.
        </p>
      )}
      <InvoiceSummary invoice={page.invoice} refunds={page.refunds} />
      {page.kind === "payable" && page.heldAmount > 0 && (
        <Alert data-testid="held-note">
          <AlertDescription>
            Your card is authorized for {formatMoney(page.heldAmount, page.invoice.currency)}. {page.clinic.name} will charge it later
            {page.invoice.amountDue > page.heldAmount ? "; you can pay the rest below." : ", so there is nothing more to pay now."}
          </AlertDescription>
        </Alert>
      )}
      {page.kind === "payable" && page.invoice.amountDue > page.heldAmount && page.invoice.amountDue - page.heldAmount < page.minimumAmount && (
        <Alert data-testid="below-card-minimum">
          <AlertDescription>
            The {formatMoney(page.invoice.amountDue - page.heldAmount, page.invoice.currency)} left is less than the smallest card payment (
            {formatMoney(page.minimumAmount, page.invoice.currency)}). Please pay it at {page.clinic.name}.
          </AlertDescription>
        </Alert>
      )}
      {page.kind === "payable" && page.invoice.amountDue - page.heldAmount >= page.minimumAmount && (
        <PayForm
          token={token}
          clinicName={page.clinic.name}
          currency={page.invoice.currency}
          amountDue={page.invoice.amountDue - page.heldAmount}
          minimumAmount={page.minimumAmount}
          authorizeOnly={page.authorizeOnly}
          declined={query.declined === "1"}
        />
      )}
    </PayShell>
  );
}
