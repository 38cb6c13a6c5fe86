import Link from "next/link";
import type { ReactNode } from "react";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { formatMoney } from "@/lib/money/currency";
import type { RemittanceAdjustmentView, RemittanceClaimView } from "@/lib/remittances/remittances.types";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { procedureLabel } from "./remittance-format";

const money = (cents: number) => formatMoney(cents, "USD");

/** Adjustments as a biller reads them: "CO-45 Contractual obligation: Charge exceeds fee schedule… $60.00". */
export function AdjustmentList({ adjustments }: { adjustments: RemittanceAdjustmentView[] }) {
  if (adjustments.length === 0) return null;
  return (
    <ul className="grid gap-1 text-sm">
      {adjustments.map((adjustment, index) => (
        <li key={index} className="flex flex-wrap items-baseline justify-between gap-x-3">
          <span className="min-w-0 break-words">
            <span className="font-mono font-medium">
              {adjustment.groupCode}-{adjustment.reasonCode}
            </span>{" "}
            <span className="text-muted-foreground">
              {adjustment.group}: {adjustment.reason}
            </span>
          </span>
          <span className="whitespace-nowrap tabular-nums">{money(adjustment.amount)}</span>
        </li>
      ))}
    </ul>
  );
}

function RemarkList({ remarks }: { remarks: RemittanceClaimView["remarkCodes"] }) {
  if (remarks.length === 0) return null;
  return (
    <ul className="grid gap-1 text-sm">
      {remarks.map((remark) => (
        <li key={remark.code} className="break-words">
          <span className="font-mono font-medium">{remark.code}</span> <span className="text-muted-foreground">{remark.description}</span>
        </li>
      ))}
    </ul>
  );
}

const POSTING_LABELS: Record<RemittanceClaimView["status"], [string, NonNullable<BadgeProps["variant"]>]> = {
  matched: ["Waiting to post", "outline"],
  unmatched: ["Unmatched", "warning"],
  posted: ["Posted", "success"],
  reversed: ["Reversed", "secondary"],
  duplicate: ["Duplicate, not posted", "secondary"],
  held: ["Held, not posted", "warning"],
};

/** Where the claim payment stands in the books: posted (with the patient's share invoice), held and why, reversed, a duplicate. */
function PostingState({ payment }: { payment: RemittanceClaimView }) {
  const [label, variant] = POSTING_LABELS[payment.status];
  const why = payment.status === "held" ? payment.heldReason : payment.status === "unmatched" ? payment.unmatchedReason : null;
  return (
    <div className="grid gap-1 text-sm" data-testid="claim-payment-posting">
      <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Badge variant={variant}>{label}</Badge>
        {payment.patientShareInvoice && (
          <Link href={`/app/invoices/${payment.patientShareInvoice.id}`} className="text-primary underline underline-offset-4">
            Patient&apos;s share: {payment.patientShareInvoice.number ?? "draft invoice"}
          </Link>
        )}
      </p>
      {why && <p className="text-muted-foreground">{why}</p>}
    </div>
  );
}

/**
 * One claim payment (CLP) of an 835: what the payer decided, the amounts, claim-level adjustments
 * and remark codes, and each service line with its own adjustments. `heading` names it (the claim
 * number, or the payment it came in).
 */
export function ClaimPayment({ payment, heading }: { payment: RemittanceClaimView; heading: ReactNode }) {
  const adjusted = [...payment.adjustments, ...payment.lines.flatMap((line) => line.adjustments)];
  const patientShare = payment.patientResponsibility ?? adjusted.filter((item) => item.groupCode === "PR").reduce((sum, item) => sum + item.amount, 0);
  const otherAdjustments = adjusted.filter((item) => item.groupCode !== "PR").reduce((sum, item) => sum + item.amount, 0);
  const figures: [string, string][] = [
    ["Charged", money(payment.chargeAmount)],
    ["Paid by the payer", money(payment.paidAmount)],
    ["Adjusted", money(otherAdjustments)],
    ["Patient's share", money(patientShare)],
  ];
  return (
    <section className="grid gap-3" data-testid="claim-payment">
      <div className="grid gap-0.5">
        <h3 className="font-semibold">{heading}</h3>
        <p className="text-sm text-muted-foreground">
          {payment.statusDescription} (CLP02 {payment.statusCode})
          {payment.payerClaimControlNumber && ` · payer's claim number ${payment.payerClaimControlNumber}`}
          {payment.patientName && ` · ${payment.patientName}`}
        </p>
      </div>
      <PostingState payment={payment} />
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        {figures.map(([label, value]) => (
          <div key={label} className="grid gap-0.5">
            <dt className="text-muted-foreground">{label}</dt>
            <dd className="font-medium tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {payment.adjustments.length > 0 && (
        <div className="grid gap-1">
          <h4 className="text-sm font-medium">Claim adjustments</h4>
          <AdjustmentList adjustments={payment.adjustments} />
        </div>
      )}
      {payment.remarkCodes.length > 0 && (
        <div className="grid gap-1">
          <h4 className="text-sm font-medium">Remarks</h4>
          <RemarkList remarks={payment.remarkCodes} />
        </div>
      )}
      {payment.lines.length > 0 && (
        <Table className="[&_td]:px-2 [&_td]:align-top [&_th]:px-2 sm:[&_td]:px-3 sm:[&_th]:px-3">
          <TableHeader>
            <TableRow>
              <TableHead>Service</TableHead>
              <TableHead className="text-right">Charge</TableHead>
              <TableHead className="text-right">Paid</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {payment.lines.map((line) => (
              <TableRow key={line.id}>
                <TableCell className="grid min-w-0 gap-1">
                  <span>
                    <span className="font-mono font-medium">{procedureLabel(line.procedureCode, line.modifiers)}</span>
                    {line.serviceDate && <span className="text-muted-foreground"> · {formatIsoDate(line.serviceDate)}</span>}
                    {line.originalProcedureCode && <span className="text-muted-foreground"> · billed as {line.originalProcedureCode}</span>}
                    {line.claimLineId === null && payment.claim && <span className="text-muted-foreground"> · matches none of the claim&apos;s lines</span>}
                  </span>
                  <AdjustmentList adjustments={line.adjustments} />
                  <RemarkList remarks={line.remarkCodes} />
                </TableCell>
                <TableCell className="text-right whitespace-nowrap tabular-nums">{money(line.chargeAmount)}</TableCell>
                <TableCell className="text-right whitespace-nowrap tabular-nums">{money(line.paidAmount)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
