import type { Metadata } from "next";
import Link from "next/link";
import { ChevronRight, FileText, Plus, SearchX } from "lucide-react";
import { z } from "zod";
import { zRecordId } from "@/lib/http/record-id";
import { zSingleLineText } from "@/lib/validation/fields";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { INVOICE_STATUSES } from "@/lib/invoices/invoices.types";
import { listInvoices } from "@/lib/invoices/list-invoices";
import { InvoiceFilters } from "@/components/invoices/invoice-filters";
import { InvoiceTable } from "@/components/invoices/invoice-table";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Invoices" };

const ZSearchParams = z.object({
  status: z
    .enum([...INVOICE_STATUSES, "outstanding", "overdue"])
    .optional()
    .catch(undefined),
  number: zSingleLineText().max(20).catch(""),
  cursor: zRecordId().optional().catch(undefined),
});

function listHref(params: { status?: string; number: string; cursor?: string }) {
  const search = new URLSearchParams();
  if (params.number) search.set("number", params.number);
  if (params.status) search.set("status", params.status);
  if (params.cursor) search.set("cursor", params.cursor);
  const query = search.toString();
  return query ? `/app/invoices?${query}` : "/app/invoices";
}

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const { status, number, cursor } = ZSearchParams.parse(await searchParams);
  const canWrite = hasRole(auth.role, "billing");
  const page = await listInvoices(await getDb(), {
    organizationId: auth.organization.id,
    input: { status, number: number || undefined, cursor },
  });
  const filtered = Boolean(status || number || cursor);
  const newInvoice = canWrite && (
    <Link href="/app/invoices/new" className={buttonVariants()}>
      <Plus aria-hidden="true" /> New invoice
    </Link>
  );

  return (
    <div className="grid gap-6">
      <PageHeader title="Invoices" description="Drafts, open and settled invoices, newest first." actions={newInvoice} />
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:pt-6">
          <InvoiceFilters status={status ?? ""} number={number} />
          {page.data.length === 0 ? (
            filtered ? (
              <EmptyState
                icon={SearchX}
                title="No invoices match these filters"
                description="Try another status or a shorter number."
                action={
                  <Link href="/app/invoices" className={buttonVariants({ variant: "outline" })}>
                    Clear filters
                  </Link>
                }
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
            <InvoiceTable invoices={page.data} showPatient />
          )}
          {(cursor || page.nextCursor) && (
            <nav aria-label="Pages" className="flex items-center justify-between gap-2">
              {cursor ? (
                <Link href={listHref({ status, number })} className={buttonVariants({ variant: "ghost", size: "sm" })}>
                  Back to first page
                </Link>
              ) : (
                <span />
              )}
              {page.nextCursor && (
                <Link href={listHref({ status, number, cursor: page.nextCursor })} className={buttonVariants({ variant: "outline", size: "sm" })}>
                  Next page <ChevronRight aria-hidden="true" />
                </Link>
              )}
            </nav>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
