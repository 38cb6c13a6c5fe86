import type { Metadata } from "next";
import Link from "next/link";
import { ChevronRight, Plus, SearchX, Users } from "lucide-react";
import { z } from "zod";
import { zRecordId } from "@/lib/http/record-id";
import { zSingleLineText } from "@/lib/validation/fields";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { listPatients } from "@/lib/patients/list-patients";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { PatientFilters } from "@/components/patients/patient-filters";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatPhone } from "@/lib/validation/phone";

export const metadata: Metadata = { title: "Patients" };

const ZSearchParams = z.object({
  q: zSingleLineText().max(100).catch(""),
  archived: z.literal("1").optional().catch(undefined),
  cursor: zRecordId().optional().catch(undefined),
});

function listHref(params: { q: string; archived: boolean; cursor?: string }) {
  const search = new URLSearchParams();
  if (params.q) search.set("q", params.q);
  if (params.archived) search.set("archived", "1");
  if (params.cursor) search.set("cursor", params.cursor);
  const query = search.toString();
  return query ? `/app/patients?${query}` : "/app/patients";
}

export default async function PatientsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const { q, archived, cursor } = ZSearchParams.parse(await searchParams);
  const showArchived = archived === "1";
  const canWrite = hasRole(auth.role, "billing");
  const page = await listPatients(await getDb(), {
    organizationId: auth.organization.id,
    input: { query: q || undefined, includeArchived: showArchived, cursor },
  });
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
          <PatientFilters query={q} showArchived={showArchived} />
          {page.data.length === 0 ? (
            q || cursor ? (
              <EmptyState
                icon={SearchX}
                title={q ? `No patients match “${q}”` : "No more patients"}
                description={showArchived ? "Try a shorter search." : "Try a shorter search, or include archived patients."}
                action={
                  <Link href={listHref({ q: "", archived: showArchived })} className={buttonVariants({ variant: "outline" })}>
                    Clear search
                  </Link>
                }
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
                  <TableHead>Name</TableHead>
                  <TableHead className="hidden sm:table-cell">MRN</TableHead>
                  <TableHead className="hidden md:table-cell">Email</TableHead>
                  <TableHead className="hidden lg:table-cell">Phone</TableHead>
                  <TableHead className="hidden lg:table-cell">Date of birth</TableHead>
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
                      {(patient.phone && formatPhone(patient.phone)) || <span className="text-muted-foreground">—</span>}
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap lg:table-cell">
                      {patient.dateOfBirth ? formatIsoDate(patient.dateOfBirth) : <span className="text-muted-foreground">—</span>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {(cursor || page.nextCursor) && (
            <nav aria-label="Pages" className="flex items-center justify-between gap-2">
              {cursor ? (
                <Link href={listHref({ q, archived: showArchived })} className={buttonVariants({ variant: "ghost", size: "sm" })}>
                  Back to first page
                </Link>
              ) : (
                <span />
              )}
              {page.nextCursor && (
                <Link href={listHref({ q, archived: showArchived, cursor: page.nextCursor })} className={buttonVariants({ variant: "outline", size: "sm" })}>
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
