import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { ChevronLeft } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/or-not-found";
import { formatMoney } from "@/lib/money/currency";
import { getRemittanceOrThrow } from "@/lib/remittances/list-remittances";
import { getRemittancePostingAction } from "@/lib/actions/claims/remittance-posting-action";
import { ClaimPayment } from "@/components/remittances/claim-payment";
import { RemittancePostingProgress } from "@/components/remittances/remittance-posting-progress";
import { RemittanceStatusBadge } from "@/components/remittances/remittance-status-badge";
import { formatDateTime, formatIsoDate } from "@/components/invoices/invoice-format";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

// A remittance names patients and their claims (PHI): the tab title stays generic.
export const metadata: Metadata = { title: "Remittance" };

const money = (cents: number) => formatMoney(cents, "USD");

export default async function RemittancePage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const organizationId = auth.organization.id;
  const timeZone = auth.organization.timezone;
  const remittance = await orNotFound((await params).id, (remittanceId) => getRemittanceOrThrow(db, { organizationId, remittanceId }));
  const facts: [string, ReactNode][] = [
    ["Payer", remittance.payer ? remittance.payer.name : `${remittance.payerName} (not matched to one of the clinic's payers)`],
    [
      "Payer's id",
      [remittance.payerIdentifier && `${remittance.payerIdentifier} (REF*2U)`, `${remittance.traceOriginatorId} (TRN03)`].filter(Boolean).join(", "),
    ],
    ["Amount", money(remittance.totalAmount)],
    ["How", `${remittance.paymentMethodDescription}, trace number ${remittance.traceNumber}`],
    ["Paid on", remittance.paidOn ? formatIsoDate(remittance.paidOn) : "Not given in the file"],
    ["Paid to", `${remittance.payeeName}${remittance.payeeNpi ? ` (NPI ${remittance.payeeNpi})` : ""}`],
    ["File", remittance.fileName],
    ["Imported", formatDateTime(remittance.createdAt, timeZone)],
  ];

  return (
    <div className="grid grid-cols-1 gap-6">
      <Link href="/app/claims/remittances" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Remittances
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {money(remittance.totalAmount)} from {remittance.payerName}
            <RemittanceStatusBadge status={remittance.status} />
          </span>
        }
        description={`${remittance.claimCount} ${remittance.claimCount === 1 ? "claim" : "claims"}${remittance.unmatchedClaimCount > 0 ? `, ${remittance.unmatchedClaimCount} not matched to this clinic's claims` : ""}.`}
      />
      <RemittancePostingProgress remittanceId={remittance.id} initial={remittance.posting} refresh={getRemittancePostingAction} />
      {remittance.imbalances.length > 0 && (
        <Alert variant="warning" data-testid="remittance-imbalances">
          <AlertTitle>This payment does not add up: nothing from it will be posted until it is sorted out</AlertTitle>
          <AlertDescription>
            <ul className="grid list-disc gap-1 pl-5">
              {remittance.imbalances.map((imbalance, index) => (
                <li key={index}>{imbalance.message}</li>
              ))}
            </ul>
            <p className="mt-2">Ask the payer or clearinghouse for a corrected 835.</p>
          </AlertDescription>
        </Alert>
      )}
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Claim payments</CardTitle>
            <CardDescription>Each claim the payer decided on, with its lines and adjustments.</CardDescription>
          </CardHeader>
          <CardContent>
            <div className="grid gap-6 divide-y [&>*+*]:pt-6" data-testid="remittance-claims">
              {remittance.claims.map((payment) => (
                <div key={payment.id} className="grid gap-2">
                  <ClaimPayment
                    payment={payment}
                    heading={
                      payment.claim ? (
                        <Link href={`/app/claims/${payment.claim.id}`} className="text-primary underline-offset-4 hover:underline">
                          Claim {payment.claim.displayNumber}
                        </Link>
                      ) : (
                        `Claim ${payment.patientControlNumber}`
                      )
                    }
                  />
                </div>
              ))}
              {remittance.claims.length === 0 && <p className="text-sm text-muted-foreground">This payment names no claim.</p>}
            </div>
          </CardContent>
        </Card>
        <div className="grid gap-6">
          <Card>
            <CardContent className="pt-4 sm:pt-6">
              <dl className="grid gap-3 text-sm" data-testid="remittance-facts">
                {facts.map(([label, value]) => (
                  <div key={label} className="grid gap-0.5">
                    <dt className="text-muted-foreground">{label}</dt>
                    <dd className="min-w-0 break-words">{value}</dd>
                  </div>
                ))}
              </dl>
            </CardContent>
          </Card>
          {remittance.providerAdjustments.length > 0 && (
            <Card>
              <CardHeader>
                <CardTitle>Provider adjustments</CardTitle>
                <CardDescription>Money the payer added or kept back outside any claim (PLB).</CardDescription>
              </CardHeader>
              <CardContent>
                <Table className="[&_td]:px-2 [&_th]:px-2">
                  <TableHeader>
                    <TableRow>
                      <TableHead>Reason</TableHead>
                      <TableHead className="text-right">Amount</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {remittance.providerAdjustments.map((adjustment, index) => (
                      <TableRow key={index}>
                        <TableCell className="min-w-0 break-words">
                          <span className="font-mono">{adjustment.reasonCode}</span> {adjustment.reason}
                          {adjustment.reference && <span className="block text-muted-foreground">Reference {adjustment.reference}</span>}
                        </TableCell>
                        <TableCell className="text-right whitespace-nowrap tabular-nums">
                          {adjustment.amount > 0 ? `kept back ${money(adjustment.amount)}` : `added ${money(-adjustment.amount)}`}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </CardContent>
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}
