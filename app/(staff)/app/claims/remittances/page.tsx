import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, Inbox } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { formatMoney } from "@/lib/money/currency";
import { listRemittances, REMITTANCE_FILTERS, type RemittanceFilter } from "@/lib/remittances/list-remittances";
import { isRecordId } from "@/lib/http/record-id";
import { listHref } from "@/lib/search/list-params";
import { RemittanceStatusBadge } from "@/components/remittances/remittance-status-badge";
import { formatDateTime, formatIsoDate } from "@/components/invoices/invoice-format";
import { ClearFiltersLink, ListPageLinks } from "@/components/search/list-pages";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils/cn";

export const metadata: Metadata = { title: "Remittances" };

const PAGE_SIZE = 25;
const PATH = "/app/claims/remittances";

const FILTER_LABELS: Record<RemittanceFilter, string> = {
  received: "Received",
  needs_review: "Needs review",
  posted: "Posted",
  unmatched: "Unmatched claims",
};

const EMPTY: Record<RemittanceFilter | "all", string> = {
  all: "Import the 835 files the clearinghouse sends (on the Claims page, or fetched by SFTP): each payment shows here with the claims it pays.",
  received: "No payment is waiting here.",
  needs_review: "Every payment imported so far adds up.",
  posted: "No payment is posted yet.",
  unmatched: "Every claim payment imported so far matched one of this clinic's claims.",
};

const one = (value: string | string[] | undefined) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

export default async function RemittancesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const organizationId = auth.organization.id;
  const params = await searchParams;
  const status = REMITTANCE_FILTERS.find((value) => value === one(params.status));
  // A cursor that is not a record id (a hand-edited URL) starts from the first page rather than failing.
  const cursor = [one(params.cursor)].find((value) => value !== undefined && isRecordId(value));
  const db = await getDb();
  const page = await listRemittances(db, { organizationId, query: { status, cursor, limit: PAGE_SIZE } });
  const tabs: { value: RemittanceFilter | undefined; label: string }[] = [
    { value: undefined, label: "All" },
    ...REMITTANCE_FILTERS.map((value) => ({ value, label: FILTER_LABELS[value] })),
  ];

  return (
    <div className="grid grid-cols-1 gap-6">
      <Link href="/app/claims" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Claims
      </Link>
      <PageHeader
        title="Remittances"
        description="Payments read from the payers' 835 files, with the claims they pay. Each is posted as it arrives: the payer's payment and write-offs to the claims, the patient's share to an invoice; a payment that does not add up is held for review."
      />
      <nav aria-label="Remittance filters" className="flex flex-wrap gap-2">
        {tabs.map((item) => {
          const current = status === item.value;
          return (
            <Link
              key={item.label}
              href={listHref(PATH, { status: item.value })}
              aria-current={current ? "page" : undefined}
              className={cn(buttonVariants({ variant: current ? "secondary" : "ghost", size: "sm" }))}
            >
              {item.label}
            </Link>
          );
        })}
      </nav>
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:pt-6">
          {page.remittances.length === 0 ? (
            <EmptyState
              icon={Inbox}
              title={status || cursor ? "No remittances here" : "No remittances yet"}
              description={EMPTY[status ?? "all"]}
              action={cursor && <ClearFiltersLink href={listHref(PATH, { status })} label="First page" />}
            />
          ) : (
            <Table className="[&_td]:px-2 [&_th]:px-2 sm:[&_td]:px-3 sm:[&_th]:px-3" data-testid="remittances">
              <TableHeader>
                <TableRow>
                  <TableHead>Payment</TableHead>
                  <TableHead className="hidden sm:table-cell">Claims</TableHead>
                  <TableHead className="hidden md:table-cell">Status</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.remittances.map((remittance) => (
                  <TableRow key={remittance.id}>
                    <TableCell className="min-w-0">
                      <Link href={`${PATH}/${remittance.id}`} className="font-medium break-words text-primary underline-offset-4 hover:underline">
                        {remittance.payerName}
                      </Link>
                      <span className="block text-muted-foreground">
                        {remittance.paymentMethodDescription} {remittance.traceNumber} ·{" "}
                        {remittance.paidOn ? formatIsoDate(remittance.paidOn) : `received ${formatDateTime(remittance.createdAt, auth.organization.timezone)}`}
                      </span>
                      <span className="mt-1 block md:hidden">
                        <RemittanceStatusBadge status={remittance.status} />
                      </span>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">
                      {remittance.claimCount}
                      {remittance.unmatchedClaimCount > 0 && <span className="block text-muted-foreground">{remittance.unmatchedClaimCount} unmatched</span>}
                    </TableCell>
                    <TableCell className="hidden md:table-cell">
                      <RemittanceStatusBadge status={remittance.status} />
                    </TableCell>
                    <TableCell className="text-right whitespace-nowrap tabular-nums">{formatMoney(remittance.totalAmount, "USD")}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <ListPageLinks
            firstPageHref={cursor ? listHref(PATH, { status }) : null}
            nextPageHref={page.nextCursor && listHref(PATH, { status, cursor: page.nextCursor })}
          />
        </CardContent>
      </Card>
    </div>
  );
}
