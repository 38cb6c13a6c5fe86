import type { Metadata } from "next";
import Link from "next/link";
import { ReceiptText } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { CREDIT_NOTE_SORT_DIRECTIONS, listOrganizationCreditNotes } from "@/lib/credit-notes/list-credit-notes";
import { formatMoney } from "@/lib/money/currency";
import { getPatientName } from "@/lib/patients/get-patient-name";
import { CREDIT_NOTE_DEFAULT_SORT, listHref, readCreditNoteListParams, sortHeaders, sortValues } from "@/lib/search/list-params";
import { dispositionLabel } from "@/components/credit-notes/credit-note-labels";
import { formatDate } from "@/components/invoices/invoice-format";
import { ClearFiltersLink, NextPageLink } from "@/components/search/list-pages";
import { ListSearchForm } from "@/components/search/list-search-form";
import { ListToolbar } from "@/components/search/list-toolbar";
import { SortableTableHead } from "@/components/search/sortable-table-head";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Credit notes" };

export default async function CreditNotesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const { filters, sort, input } = readCreditNoteListParams(await searchParams);
  const db = await getDb();
  const [page, patientName] = await Promise.all([
    listOrganizationCreditNotes(db, { organizationId: auth.organization.id, input: { ...input, cursor: filters.cursor } }),
    filters.patient ? getPatientName(db, { organizationId: auth.organization.id, id: filters.patient }) : null,
  ]);
  const values = { q: filters.q, patient: filters.patient, ...sortValues(sort, CREDIT_NOTE_DEFAULT_SORT) };
  const href = (changes: Record<string, string | undefined>) => listHref("/app/credit-notes", { ...values, ...changes });
  const header = sortHeaders({ path: "/app/credit-notes", values, sort, directions: CREDIT_NOTE_SORT_DIRECTIONS, fallback: CREDIT_NOTE_DEFAULT_SORT });
  const filtered = Boolean(filters.q || filters.patient || filters.cursor);

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Credit notes"
        description="Every credit note the clinic issued: what it lowered or gave back, on which invoice and why. Issue one from an invoice's page."
      />
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:pt-6">
          <ListSearchForm
            action="/app/credit-notes"
            label="Search credit notes"
            inputId="credit-note-search"
            inputLabel="Search credit notes"
            placeholder="Patient name, email, phone, MRN, credit note or invoice number"
            query={filters.q}
            keep={{ patient: filters.patient, sort: values.sort, dir: values.dir }}
          />
          <ListToolbar
            patient={filters.patient ? { name: patientName, removeHref: href({ patient: undefined }) } : undefined}
            exportHref={page.data.length > 0 ? listHref("/app/credit-notes/export", values) : undefined}
          />
          {page.data.length === 0 ? (
            <EmptyState
              icon={ReceiptText}
              title={filtered ? "No credit notes match" : "No credit notes yet"}
              description={
                filtered
                  ? filters.q
                    ? `Nothing matches “${filters.q}”.`
                    : "This patient has no credit notes."
                  : "When staff lower what an invoice asks for or turn a payment into credit, the credit note appears here."
              }
              action={filtered && <ClearFiltersLink href="/app/credit-notes" />}
            />
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Credit note</TableHead>
                  <SortableTableHead label="Issued" header={header("issued")} className="hidden sm:table-cell" />
                  <TableHead className="hidden sm:table-cell">Patient</TableHead>
                  <TableHead className="hidden md:table-cell">Invoice</TableHead>
                  <TableHead className="hidden lg:table-cell">Reason</TableHead>
                  <SortableTableHead label="Amount" header={header("amount")} className="text-right" />
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.data.map((creditNote) => (
                  <TableRow key={creditNote.id}>
                    <TableCell>
                      <Link
                        href={`/app/credit-notes/${creditNote.id}/pdf`}
                        target="_blank"
                        rel="noopener"
                        prefetch={false}
                        className="font-medium whitespace-nowrap text-primary underline-offset-4 hover:underline"
                      >
                        {creditNote.number}
                        <span className="sr-only"> (PDF)</span>
                      </Link>
                      <span className="mt-0.5 block text-muted-foreground">
                        {dispositionLabel(creditNote)}
                        {creditNote.status === "void" && (
                          <Badge variant="outline" className="ml-2">
                            Void
                          </Badge>
                        )}
                      </span>
                      {/* Phones keep two columns: date, patient and invoice under the number. */}
                      <span className="mt-0.5 block text-muted-foreground sm:hidden">
                        {formatDate(creditNote.createdAt, auth.organization.timezone)} · {creditNote.patientName} ·{" "}
                        <Link href={`/app/invoices/${creditNote.invoiceId}`} className="whitespace-nowrap underline underline-offset-4">
                          {creditNote.invoiceNumber}
                        </Link>
                      </span>
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap sm:table-cell">{formatDate(creditNote.createdAt, auth.organization.timezone)}</TableCell>
                    <TableCell className="hidden sm:table-cell">{creditNote.patientName}</TableCell>
                    <TableCell className="hidden whitespace-nowrap md:table-cell">
                      <Link href={`/app/invoices/${creditNote.invoiceId}`} className="text-primary underline-offset-4 hover:underline">
                        {creditNote.invoiceNumber}
                      </Link>
                    </TableCell>
                    <TableCell className="hidden max-w-64 truncate text-muted-foreground lg:table-cell" title={creditNote.reason}>
                      {creditNote.reason}
                    </TableCell>
                    <TableCell
                      className={creditNote.status === "void" ? "text-right tabular-nums text-muted-foreground line-through" : "text-right tabular-nums"}
                    >
                      {formatMoney(creditNote.amount, creditNote.currency)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <NextPageLink href={page.nextCursor && href({ cursor: page.nextCursor })} />
        </CardContent>
      </Card>
    </div>
  );
}
