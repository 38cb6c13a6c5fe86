import type { Metadata } from "next";
import Link from "next/link";
import { ShieldCheck } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { disputeReasonLabel, isClosed } from "@/lib/disputes/dispute-status";
import { DISPUTE_SORT_DIRECTIONS, listDisputes } from "@/lib/disputes/list-disputes";
import { formatMoney } from "@/lib/money/currency";
import { getPatientName } from "@/lib/patients/get-patient-name";
import { DISPUTE_DEFAULT_SORT, listHref, readDisputeListParams, sortHeaders, sortValues } from "@/lib/search/list-params";
import { DeadlineBadge, DisputeStatusBadge } from "@/components/disputes/dispute-status-badge";
import { NextPageLink } from "@/components/search/list-pages";
import { ListSearchForm } from "@/components/search/list-search-form";
import { ListToolbar } from "@/components/search/list-toolbar";
import { SortableTableHead } from "@/components/search/sortable-table-head";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils/cn";
import { dateTimeFormatter } from "@/lib/dates/format-date";

export const metadata: Metadata = { title: "Disputes" };

const TABS = [
  { value: undefined, label: "All" },
  { value: "needs_response", label: "Needs response" },
  { value: "open", label: "Open" },
  { value: "lost_unresolved", label: "Lost, awaiting decision" },
] as const;

export default async function DisputesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const { filters, sort, input } = readDisputeListParams(await searchParams);
  const db = await getDb();
  const [page, patientName] = await Promise.all([
    listDisputes(db, { organizationId: auth.organization.id, input: { ...input, cursor: filters.cursor } }),
    filters.patient ? getPatientName(db, { organizationId: auth.organization.id, id: filters.patient }) : null,
  ]);
  const dateFormat = dateTimeFormatter({ timeZone: auth.organization.timezone });
  const current = filters.filter;
  const values = { q: filters.q, filter: filters.filter, patient: filters.patient, ...sortValues(sort, DISPUTE_DEFAULT_SORT) };
  const href = (changes: Record<string, string | undefined>) => listHref("/app/disputes", { ...values, ...changes });
  const header = sortHeaders({ path: "/app/disputes", values, sort, directions: DISPUTE_SORT_DIRECTIONS, fallback: DISPUTE_DEFAULT_SORT });
  const searched = Boolean(filters.q || filters.patient);

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
            href={href({ filter: tab.value })}
            aria-current={current === tab.value ? "page" : undefined}
            className={cn(buttonVariants({ variant: current === tab.value ? "secondary" : "ghost", size: "sm" }))}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:pt-6">
          <ListSearchForm
            action="/app/disputes"
            label="Search disputes"
            inputId="dispute-search"
            inputLabel="Search disputes"
            placeholder="Patient name, email, phone, MRN, invoice number or amount"
            query={filters.q}
            keep={{ filter: filters.filter, patient: filters.patient, sort: values.sort, dir: values.dir }}
          />
          <ListToolbar
            patient={filters.patient ? { name: patientName, removeHref: href({ patient: undefined }) } : undefined}
            exportHref={page.data.length > 0 ? listHref("/app/disputes/export", values) : undefined}
          />
          {page.data.length === 0 ? (
            <EmptyState
              icon={ShieldCheck}
              title={current || searched ? "No disputes here" : "No disputes"}
              description={
                filters.q
                  ? `Nothing matches “${filters.q}”.`
                  : current || searched
                    ? "Nothing matches this filter."
                    : "When a patient's bank disputes a card payment, it appears here and admins get an email."
              }
            />
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <SortableTableHead label="Opened" header={header("opened")} />
                  <TableHead className="hidden md:table-cell">Patient</TableHead>
                  <TableHead className="hidden md:table-cell">Invoice</TableHead>
                  <TableHead className="hidden md:table-cell">Reason</TableHead>
                  <TableHead className="hidden md:table-cell">Status</TableHead>
                  <SortableTableHead label="Evidence due" header={header("due")} className="hidden md:table-cell" />
                  <SortableTableHead label="Amount" header={header("amount")} className="text-right" />
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
                          {dispute.invoice ? (
                            <Link href={`/app/invoices/${dispute.invoice.id}`} className="whitespace-nowrap underline underline-offset-4">
                              {dispute.invoice.number}
                            </Link>
                          ) : (
                            "Prepayment"
                          )}{" "}
                          · {disputeReasonLabel(dispute.reason)}
                        </span>
                        {dispute.evidenceDueBy && (
                          <span className="block text-muted-foreground md:hidden">Evidence due {dateFormat.format(dispute.evidenceDueBy)}</span>
                        )}
                      </TableCell>
                      <TableCell className="hidden md:table-cell">
                        {dispute.payment.patient?.firstName} {dispute.payment.patient?.lastName}
                      </TableCell>
                      <TableCell className="hidden whitespace-nowrap md:table-cell">
                        {dispute.invoice ? (
                          <Link href={`/app/invoices/${dispute.invoice.id}`} className="text-primary underline-offset-4 hover:underline">
                            {dispute.invoice.number}
                          </Link>
                        ) : (
                          <span className="text-muted-foreground">Prepayment</span>
                        )}
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
          <NextPageLink href={page.nextCursor && href({ cursor: page.nextCursor })} />
        </CardContent>
      </Card>
    </div>
  );
}
