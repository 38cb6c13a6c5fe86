import type { Metadata } from "next";
import Link from "next/link";
import { Plus, SearchX, Users } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { listPatients } from "@/lib/patients/list-patients";
import { PATIENT_SORT_DIRECTIONS } from "@/lib/patients/patients.types";
import { listHref, PATIENT_DEFAULT_SORT, readPatientListParams, sortHeaders, sortValues } from "@/lib/search/list-params";
import { formatDate, formatIsoDate } from "@/components/invoices/invoice-format";
import { PatientFilters } from "@/components/patients/patient-filters";
import { ClearFiltersLink, ListPageLinks } from "@/components/search/list-pages";
import { ListToolbar } from "@/components/search/list-toolbar";
import { SortableTableHead } from "@/components/search/sortable-table-head";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatPhone } from "@/lib/validation/phone";

export const metadata: Metadata = { title: "Patients" };

export default async function PatientsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const { filters, sort, input } = readPatientListParams(await searchParams);
  const { q = "", cursor } = filters;
  const showArchived = filters.archived === "1";
  const canWrite = hasRole(auth.role, "billing");
  const page = await listPatients(await getDb(), { organizationId: auth.organization.id, input: { ...input, cursor } });
  const values = { q: filters.q, archived: filters.archived, ...sortValues(sort, PATIENT_DEFAULT_SORT) };
  const href = (changes: Record<string, string | undefined>) => listHref("/app/patients", { ...values, ...changes });
  const header = sortHeaders({ path: "/app/patients", values, sort, directions: PATIENT_SORT_DIRECTIONS, fallback: PATIENT_DEFAULT_SORT });
  const newPatient = canWrite && (
    <Link href="/app/patients/new" className={buttonVariants()}>
      <Plus aria-hidden="true" /> New patient
    </Link>
  );

  return (
    <div className="grid gap-6">
      <PageHeader title="Patients" description="Everyone your clinic bills. Search by name, email, phone or MRN." actions={newPatient} />
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:pt-6">
          <PatientFilters query={q} showArchived={showArchived} keep={{ sort: values.sort, dir: values.dir }} />
          {page.data.length > 0 && <ListToolbar exportHref={listHref("/app/patients/export", values)} />}
          {page.data.length === 0 ? (
            q || cursor ? (
              <EmptyState
                icon={SearchX}
                title={q ? `No patients match “${q}”` : "No more patients"}
                description={showArchived ? "Try a shorter search." : "Try a shorter search, or include archived patients."}
                action={<ClearFiltersLink href={href({ q: undefined, cursor: undefined })} label="Clear search" />}
              />
            ) : (
              <EmptyState
                icon={Users}
                title="No patients yet"
                description={canWrite ? "Add your first patient to start billing." : "Patients appear here once billing staff add them."}
                action={newPatient}
              />
            )
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <SortableTableHead label="Name" header={header("name")} />
                  <TableHead className="hidden sm:table-cell">MRN</TableHead>
                  <TableHead className="hidden md:table-cell">Email</TableHead>
                  <TableHead className="hidden lg:table-cell">Phone</TableHead>
                  <TableHead className="hidden lg:table-cell">Date of birth</TableHead>
                  <SortableTableHead label="Added" header={header("added")} className="hidden xl:table-cell" />
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.data.map((patient) => (
                  <TableRow key={patient.id}>
                    <TableCell>
                      <div className="flex flex-wrap items-center gap-2">
                        <Link href={`/app/patients/${patient.id}`} className="font-medium text-primary hover:underline">
                          {patient.lastName}, {patient.firstName}
                        </Link>
                        {patient.archived && <Badge variant="secondary">Archived</Badge>}
                      </div>
                      <div className="mt-0.5 truncate text-sm text-muted-foreground md:hidden">
                        {[patient.email, patient.externalId && `MRN ${patient.externalId}`].filter(Boolean).join(" · ")}
                      </div>
                    </TableCell>
                    <TableCell className="hidden text-muted-foreground sm:table-cell">{patient.externalId ?? "—"}</TableCell>
                    <TableCell className="hidden md:table-cell">{patient.email ?? <span className="text-muted-foreground">—</span>}</TableCell>
                    <TableCell className="hidden whitespace-nowrap lg:table-cell">
                      {(patient.phone && formatPhone(patient.phone, auth.organization.country)) || <span className="text-muted-foreground">—</span>}
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap lg:table-cell">
                      {patient.dateOfBirth ? formatIsoDate(patient.dateOfBirth) : <span className="text-muted-foreground">—</span>}
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap xl:table-cell">{formatDate(patient.createdAt, auth.organization.timezone)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <ListPageLinks firstPageHref={cursor ? href({}) : null} nextPageHref={page.nextCursor && href({ cursor: page.nextCursor })} />
        </CardContent>
      </Card>
    </div>
  );
}
