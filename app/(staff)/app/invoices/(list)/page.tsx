import type { Metadata } from "next";
import Link from "next/link";
import { FileText, Plus, SearchX } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { AGING_BUCKET_AGES } from "@/lib/analytics/aging-buckets";
import { formatDayRange } from "@/lib/dates/format-date";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { INVOICE_SORT_DIRECTIONS } from "@/lib/invoices/invoices.types";
import { listInvoices } from "@/lib/invoices/list-invoices";
import { getPatientName } from "@/lib/patients/get-patient-name";
import { INVOICE_DEFAULT_SORT, listHref, readInvoiceListParams, sortHeaders, sortValues } from "@/lib/search/list-params";
import { InvoiceFilters } from "@/components/invoices/invoice-filters";
import { InvoiceTable } from "@/components/invoices/invoice-table";
import { ClearFiltersLink, ListPageLinks } from "@/components/search/list-pages";
import { ListToolbar } from "@/components/search/list-toolbar";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Invoices" };

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const { filters, sort, input } = readInvoiceListParams(await searchParams);
  const db = await getDb();
  const canWrite = hasRole(auth.role, "billing");
  const [page, patientName] = await Promise.all([
    listInvoices(db, { organizationId: auth.organization.id, input: { ...input, cursor: filters.cursor } }),
    filters.patient ? getPatientName(db, { organizationId: auth.organization.id, id: filters.patient }) : null,
  ]);
  const values = {
    q: filters.q,
    status: filters.status,
    patient: filters.patient,
    age: filters.age,
    from: filters.from,
    to: filters.to,
    ...sortValues(sort, INVOICE_DEFAULT_SORT),
  };
  const href = (changes: Record<string, string | undefined>) => listHref("/app/invoices", { ...values, ...changes });
  const filtered = Boolean(filters.q || filters.status || filters.patient || filters.age || filters.from || filters.to || filters.cursor);
  const chips = [
    ...(filters.age ? [{ label: "Age", value: `${AGING_BUCKET_AGES[filters.age].label} (unpaid)`, removeHref: href({ age: undefined }) }] : []),
    ...(filters.from || filters.to
      ? [{ label: "Finalized", value: formatDayRange(filters.from, filters.to), removeHref: href({ from: undefined, to: undefined }) }]
      : []),
  ];
  const newInvoice = canWrite && (
    <Link href="/app/invoices/new" className={buttonVariants()}>
      <Plus aria-hidden="true" /> New invoice
    </Link>
  );

  return (
    <div className="grid gap-6">
      <PageHeader title="Invoices" description="Drafts, open and settled invoices. Search by patient or number; click a column to sort." actions={newInvoice} />
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:pt-6">
          <InvoiceFilters
            query={filters.q ?? ""}
            status={filters.status ?? ""}
            keep={{ patient: filters.patient, age: filters.age, from: filters.from, to: filters.to, sort: values.sort, dir: values.dir }}
          />
          <ListToolbar
            patient={filters.patient ? { name: patientName, removeHref: href({ patient: undefined }) } : undefined}
            chips={chips}
            exportHref={page.data.length > 0 ? listHref("/app/invoices/export", values) : undefined}
          />
          {page.data.length === 0 ? (
            filtered ? (
              <EmptyState
                icon={SearchX}
                title={filters.q ? `No invoices match “${filters.q}”` : "No invoices match these filters"}
                description="Try a patient's last name, part of their phone number, or another status."
                action={<ClearFiltersLink href="/app/invoices" />}
              />
            ) : (
              <EmptyState
                icon={FileText}
                title="No invoices yet"
                description={canWrite ? "Create a draft for a patient, then finalize and send it." : "Invoices appear here once billing staff create them."}
                action={newInvoice}
              />
            )
          ) : (
            <InvoiceTable
              invoices={page.data}
              showPatient
              sortable={{
                timeZone: auth.organization.timezone,
                header: sortHeaders({ path: "/app/invoices", values, sort, directions: INVOICE_SORT_DIRECTIONS, fallback: INVOICE_DEFAULT_SORT }),
              }}
            />
          )}
          <ListPageLinks firstPageHref={filters.cursor ? href({}) : null} nextPageHref={page.nextCursor && href({ cursor: page.nextCursor })} />
        </CardContent>
      </Card>
    </div>
  );
}
