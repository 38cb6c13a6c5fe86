import type { Metadata } from "next";
import Link from "next/link";
import { ClipboardList, FileCheck2 } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { formatMoney, parseMoneyInput } from "@/lib/money/currency";
import { countClaimsByStatus, listClaims, ZClaimListQuery } from "@/lib/claims/list-claims";
import { listVisitsPendingClaim } from "@/lib/claims/visits";
import { CLAIM_STATUS_LABELS } from "@/lib/claims/transition-claim";
import type { ClaimStatus } from "@/lib/claims/claims.types";
import { listPayers } from "@/lib/insurance/payers";
import { getClearinghouseSettings } from "@/lib/clearinghouse/settings";
import { listHref } from "@/lib/search/list-params";
import { submitClaimsAction } from "@/lib/actions/claims/submit-claims";
import { importClearinghouseFileAction } from "@/lib/actions/claims/import-clearinghouse-file";
import { pollClearinghouseAction } from "@/lib/actions/claims/poll-clearinghouse";
import { AGE_FILTERS, ClaimFilters } from "@/components/claims/claim-filters";
import { CLAIM_STATUS_ORDER } from "@/components/claims/claim-format";
import { ClaimsWorkList } from "@/components/claims/claims-work-list";
import { ClearinghouseImportForm } from "@/components/claims/clearinghouse-import-form";
import { PollClearinghouseButton } from "@/components/claims/poll-clearinghouse-button";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { formatDateTime } from "@/lib/dates/format-date";
import { ClearFiltersLink, ListPageLinks } from "@/components/search/list-pages";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils/cn";

export const metadata: Metadata = { title: "Claims" };

const PAGE_SIZE = 25;
const PENDING = "pending";

const one = (value: string | string[] | undefined) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

export default async function ClaimsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const organizationId = auth.organization.id;
  const currency = auth.organization.currency;
  const params = await searchParams;
  const tab = one(params.tab);
  const pending = tab === PENDING;
  const status = CLAIM_STATUS_ORDER.find((value) => value === tab);
  const filters = {
    q: one(params.q) ?? "",
    payer: one(params.payer) ?? "",
    age: one(params.age) ?? "",
    amountMin: one(params.amountMin) ?? "",
    amountMax: one(params.amountMax) ?? "",
  };
  const patient = one(params.patient);
  const cursor = one(params.cursor);
  const [ageMin, ageMax] = (AGE_FILTERS.find((age) => age.value === filters.age)?.value ?? "").split("-");
  // A filter that does not parse (a hand-edited URL) is dropped and said so, never a 500.
  const parsed = ZClaimListQuery.safeParse({
    status,
    payerId: filters.payer || undefined,
    ageMin: ageMin || undefined,
    ageMax: ageMax || undefined,
    amountMin: filters.amountMin ? (parseMoneyInput(filters.amountMin, currency) ?? -1) : undefined,
    amountMax: filters.amountMax ? (parseMoneyInput(filters.amountMax, currency) ?? -1) : undefined,
    patientId: patient,
    q: filters.q || undefined,
    cursor,
    limit: PAGE_SIZE,
  });
  const query = parsed.success ? parsed.data : { status, limit: PAGE_SIZE };
  const db = await getDb();
  const [counts, payers, settings, page, pendingVisits] = await Promise.all([
    countClaimsByStatus(db, { organizationId }),
    listPayers(db, { organizationId }),
    getClearinghouseSettings(db, { organizationId }),
    pending ? null : listClaims(db, { organizationId, query }),
    pending ? listVisitsPendingClaim(db, { organizationId, cursor, limit: PAGE_SIZE }) : null,
  ]);
  const canWrite = hasRole(auth.role, "billing");
  const kept = { ...filters, patient };
  const href = (changes: { tab?: string; cursor?: string }) => listHref("/app/claims", { tab, ...kept, ...changes });
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const filtered = Boolean(filters.q || filters.payer || filters.age || filters.amountMin || filters.amountMax || patient);
  const tabs: { value: string | undefined; label: string; count: number | null }[] = [
    { value: undefined, label: "All", count: total },
    ...CLAIM_STATUS_ORDER.map((value: ClaimStatus) => ({ value, label: CLAIM_STATUS_LABELS[value], count: counts[value] })),
    { value: PENDING, label: "Charges pending a claim", count: null },
  ];

  return (
    <div className="grid grid-cols-1 gap-6">
      <PageHeader
        title="Claims"
        description="Insurance claims from draft to accepted, and the visits whose charges wait for one. Record a visit from the patient's page."
        actions={
          <>
            <Link href="/app/claims/remittances" className={buttonVariants({ variant: "outline", size: "sm" })}>
              Remittances
            </Link>
            <Link href="/app/claims/underpaid" className={buttonVariants({ variant: "outline", size: "sm" })}>
              Underpaid
            </Link>
            <Link href="/app/claims/denials" className={buttonVariants({ variant: "outline", size: "sm" })}>
              Denials
            </Link>
            <Link href="/app/claims/unmatched" className={buttonVariants({ variant: "outline", size: "sm" })}>
              Unmatched payments
            </Link>
          </>
        }
      />
      <nav aria-label="Claim states" className="flex flex-wrap gap-2">
        {tabs.map((item) => {
          const current = item.value === PENDING ? pending : !pending && status === item.value;
          return (
            <Link
              key={item.label}
              href={listHref("/app/claims", { tab: item.value, ...(item.value === PENDING ? {} : kept) })}
              aria-current={current ? "page" : undefined}
              className={cn(buttonVariants({ variant: current ? "secondary" : "ghost", size: "sm" }), "gap-1.5")}
            >
              {item.label}
              {item.count !== null && <span className="rounded-full bg-muted px-1.5 text-xs tabular-nums text-muted-foreground">{item.count}</span>}
            </Link>
          );
        })}
      </nav>
      {pending && pendingVisits ? (
        <Card>
          <CardHeader>
            <CardTitle>Charges pending a claim</CardTitle>
            <CardDescription>Visits whose charges are on no claim yet, oldest first. Open one to create its claim.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {pendingVisits.visits.length === 0 ? (
              <EmptyState icon={FileCheck2} title="Nothing waiting" description="Every recorded visit is on a claim." />
            ) : (
              <Table className="[&_td]:px-2 [&_th]:px-2 sm:[&_td]:px-3 sm:[&_th]:px-3" data-testid="pending-visits">
                <TableHeader>
                  <TableRow>
                    <TableHead>Visit</TableHead>
                    <TableHead className="hidden sm:table-cell">Services</TableHead>
                    <TableHead className="text-right">Total</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {pendingVisits.visits.map((visit) => (
                    <TableRow key={visit.id}>
                      <TableCell className="min-w-0">
                        <Link href={`/app/visits/${visit.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                          {visit.patient.name}
                        </Link>
                        <span className="block text-muted-foreground">{formatIsoDate(visit.serviceDate)}</span>
                      </TableCell>
                      <TableCell className="hidden font-mono sm:table-cell">{visit.charges.map((charge) => charge.procedureCode).join(", ")}</TableCell>
                      <TableCell className="text-right whitespace-nowrap tabular-nums">{formatMoney(visit.totalCharge, visit.currency)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            <ListPageLinks firstPageHref={cursor ? href({}) : null} nextPageHref={pendingVisits.nextCursor && href({ cursor: pendingVisits.nextCursor })} />
          </CardContent>
        </Card>
      ) : (
        page && (
          <Card>
            <CardContent className="grid gap-4 pt-4 sm:pt-6">
              <ClaimFilters values={filters} payers={payers} currency={currency} keep={{ tab, patient }} />
              {!parsed.success && (
                <Alert variant="warning">
                  <AlertDescription>Some filters could not be read (an amount such as 100.00, for example) and were left out.</AlertDescription>
                </Alert>
              )}
              {settings === null && canWrite && (counts.ready ?? 0) > 0 && (
                <Alert variant="warning">
                  <AlertDescription>
                    Set up the clearinghouse in{" "}
                    <Link href="/app/settings/clearinghouse" className="font-medium underline underline-offset-4">
                      Settings → Clearinghouse
                    </Link>{" "}
                    before submitting: the 837 file carries its submitter and receiver ids.
                  </AlertDescription>
                </Alert>
              )}
              {page.claims.length === 0 ? (
                <EmptyState
                  icon={ClipboardList}
                  title={status || filtered || cursor ? "No claims here" : "No claims yet"}
                  description={
                    status || filtered || cursor
                      ? "Nothing matches these filters."
                      : "Record a visit from a patient's page, then create its claim from the visit."
                  }
                  action={(filtered || cursor) && <ClearFiltersLink href={listHref("/app/claims", { tab })} />}
                />
              ) : (
                <ClaimsWorkList
                  claims={page.claims}
                  canSubmit={canWrite}
                  channel={settings ? (settings.connection === "sftp" ? "sftp" : "download") : null}
                  submit={submitClaimsAction}
                />
              )}
              <ListPageLinks firstPageHref={cursor ? href({}) : null} nextPageHref={page.nextCursor && href({ cursor: page.nextCursor })} />
            </CardContent>
          </Card>
        )
      )}
      {canWrite && (
        <Card>
          <CardHeader>
            <CardTitle>Clearinghouse responses</CardTitle>
            <CardDescription>
              {settings?.connection === "sftp"
                ? `Fetched by SFTP every minute${settings.lastPolledAt ? ` (last ${formatDateTime(settings.lastPolledAt, { timeZone: auth.organization.timezone })})` : ""}; a file downloaded by hand can be imported here too.`
                : "Import the acknowledgments (999), claim status reports (277CA) and remittances (835) downloaded from the clearinghouse: claims move to accepted or rejected, payments are stored under Remittances."}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {settings?.connection === "sftp" && <PollClearinghouseButton poll={pollClearinghouseAction} />}
            {settings?.lastPollError && (
              <Alert variant="warning">
                <AlertDescription>The last SFTP check failed: {settings.lastPollError}</AlertDescription>
              </Alert>
            )}
            <ClearinghouseImportForm importFile={importClearinghouseFileAction} />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
