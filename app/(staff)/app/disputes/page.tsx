import type { Metadata } from "next";
import Link from "next/link";
import { ShieldCheck } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { disputeReasonLabel, isClosed } from "@/lib/disputes/dispute-status";
import { listDisputes, ZListDisputesInput } from "@/lib/disputes/list-disputes";
import { firstParam, nextPageHref } from "@/lib/http/search-params";
import { formatMoney } from "@/lib/money/currency";
import { DeadlineBadge, DisputeStatusBadge } from "@/components/disputes/dispute-status-badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils/cn";
import { dateTimeFormatter } from "@/lib/dates/format-date";

export const metadata: Metadata = { title: "Disputes" };

const FILTERS = ["filter"] as const;
const TABS = [
  { value: undefined, label: "All" },
  { value: "needs_response", label: "Needs response" },
  { value: "open", label: "Open" },
  { value: "lost_unresolved", label: "Lost, awaiting decision" },
] as const;

export default async function DisputesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const params = await searchParams;
  const parsed = ZListDisputesInput.safeParse({ filter: firstParam(params, "filter"), cursor: firstParam(params, "cursor") });
  const input = parsed.success ? parsed.data : {};
  const page = await listDisputes(await getDb(), { organizationId: auth.organization.id, input });
  const dateFormat = dateTimeFormatter({ timeZone: auth.organization.timezone });
  const current = parsed.success ? parsed.data.filter : undefined;

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Disputes"
        description="Chargebacks and card inquiries from patients' banks. Submit evidence in Stripe's dashboard before the deadline, then record it on the payment page."
      />
      <nav aria-label="Filter disputes" className="flex flex-wrap gap-2">
        {TABS.map((tab) => (
          <Link
            key={tab.label}
            href={tab.value ? `/app/disputes?filter=${tab.value}` : "/app/disputes"}
            aria-current={current === tab.value ? "page" : undefined}
            className={cn(buttonVariants({ variant: current === tab.value ? "secondary" : "ghost", size: "sm" }))}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      <Card>
        <CardContent className="grid gap-6 pt-4 sm:pt-6">
          {page.data.length === 0 ? (
            <EmptyState
              icon={ShieldCheck}
              title={current ? "No disputes here" : "No disputes"}
              description={current ? "Nothing matches this filter." : "When a patient's bank disputes a card payment, it appears here and admins get an email."}
            />
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Opened</TableHead>
                  <TableHead className="hidden md:table-cell">Patient</TableHead>
                  <TableHead className="hidden md:table-cell">Invoice</TableHead>
                  <TableHead className="hidden md:table-cell">Reason</TableHead>
                  <TableHead className="hidden md:table-cell">Status</TableHead>
                  <TableHead className="hidden md:table-cell">Evidence due</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.data.map((dispute) => {
                  const open = !isClosed(dispute.status);
                  return (
                    <TableRow key={dispute.id} data-testid="dispute-row">
                      <TableCell>
                        <Link
                          href={`/app/payments/${dispute.paymentId}`}
                          className="font-medium whitespace-nowrap text-primary underline-offset-4 hover:underline"
                        >
                          {dateFormat.format(dispute.createdAt)}
                        </Link>
                        {/* Narrow screens keep two columns: who and why under the date, status and deadline under the amount. */}
                        <span className="mt-0.5 block text-muted-foreground md:hidden">
                          {dispute.payment.patient?.firstName} {dispute.payment.patient?.lastName} ·{" "}
                          <span className="whitespace-nowrap">{dispute.invoice.number}</span> · {disputeReasonLabel(dispute.reason)}
                        </span>
                        {dispute.evidenceDueBy && (
                          <span className="block text-muted-foreground md:hidden">Evidence due {dateFormat.format(dispute.evidenceDueBy)}</span>
                        )}
                      </TableCell>
                      <TableCell className="hidden md:table-cell">
                        {dispute.payment.patient?.firstName} {dispute.payment.patient?.lastName}
                      </TableCell>
                      <TableCell className="hidden whitespace-nowrap md:table-cell">
                        <Link href={`/app/invoices/${dispute.invoice.id}`} className="underline-offset-4 hover:underline">
                          {dispute.invoice.number}
                        </Link>
                      </TableCell>
                      <TableCell className="hidden md:table-cell">{disputeReasonLabel(dispute.reason)}</TableCell>
                      <TableCell className="hidden md:table-cell">
                        <div className="flex flex-wrap gap-1">
                          <DisputeStatusBadge status={dispute.status} />
                          {dispute.status === "lost" && !dispute.resolution && <span className="text-xs text-muted-foreground">Decision needed</span>}
                        </div>
                      </TableCell>
                      <TableCell className="hidden md:table-cell">
                        <div className="flex flex-wrap items-center gap-2">
                          <span className="whitespace-nowrap">{dispute.evidenceDueBy ? dateFormat.format(dispute.evidenceDueBy) : "—"}</span>
                          <DeadlineBadge dueBy={dispute.evidenceDueBy} open={open && !dispute.evidenceSubmittedAt} />
                          {open && dispute.evidenceSubmittedAt && <span className="text-xs text-muted-foreground">Evidence recorded</span>}
                        </div>
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        <span className="whitespace-nowrap">{formatMoney(dispute.amount, dispute.currency)}</span>
                        <span className="mt-1 flex flex-col items-end gap-1 md:hidden">
                          <DisputeStatusBadge status={dispute.status} />
                          <DeadlineBadge dueBy={dispute.evidenceDueBy} open={open && !dispute.evidenceSubmittedAt} />
                        </span>
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
          {page.nextCursor && (
            <div>
              <Link href={nextPageHref("/app/disputes", params, FILTERS, page.nextCursor)} className={buttonVariants({ variant: "outline" })}>
                Older disputes
              </Link>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
