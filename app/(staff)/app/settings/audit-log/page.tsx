import type { Metadata } from "next";
import Link from "next/link";
import { ScrollText } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { firstParam, nextPageHref } from "@/lib/http/search-params";
import { requirePageAuth } from "@/lib/auth/session";
import { listAuditEvents, ZListAuditEventsInput } from "@/lib/audit/list-audit-events";
import { ClinicTime } from "@/components/ui/clinic-time";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Audit log" };

const FILTERS = ["action", "actor", "targetType", "from", "to"] as const;

function describeChange(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return JSON.stringify(value);
}

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("admin");
  const params = await searchParams;
  const single = (name: string) => firstParam(params, name);
  const parsed = ZListAuditEventsInput.safeParse(Object.fromEntries([...FILTERS, "cursor"].map((name) => [name, single(name)])));
  const filters = parsed.success ? parsed.data : {};
  const page = await listAuditEvents(await getDb(), { organizationId: auth.organization.id, timeZone: auth.organization.timezone, input: filters });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Audit log</CardTitle>
        <CardDescription>
          Every change, and every view of a patient&apos;s record: who, when, from where. Entries can never be edited or deleted.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <form className="grid gap-3 sm:grid-cols-6 sm:items-end" role="search" aria-label="Filter the audit log">
          <div className="grid gap-1.5 sm:col-span-2">
            <Label htmlFor="filter-action">Action starts with</Label>
            <Input id="filter-action" name="action" defaultValue={single("action")} placeholder="e.g. invoice. or patient.viewed" />
          </div>
          <div className="grid gap-1.5 sm:col-span-2">
            <Label htmlFor="filter-actor">Who</Label>
            <Input id="filter-actor" name="actor" defaultValue={single("actor")} placeholder="email or api-key:name" />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="filter-from">From</Label>
            <Input id="filter-from" name="from" type="date" defaultValue={single("from")} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="filter-to">To</Label>
            <Input id="filter-to" name="to" type="date" defaultValue={single("to")} />
          </div>
          <div className="flex gap-2 sm:col-span-6">
            <Button type="submit" variant="secondary">
              Filter
            </Button>
            <Link href="/app/settings/audit-log" className={buttonVariants({ variant: "ghost" })}>
              Clear
            </Link>
          </div>
        </form>
        {page.data.length === 0 ? (
          <EmptyState icon={ScrollText} title="No matching entries" description="Try a wider date range or clear the filters." />
        ) : (
          <Table scrollLabel="Audit log (scrolls sideways)">
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Who</TableHead>
                <TableHead>Action</TableHead>
                <TableHead>Target</TableHead>
                <TableHead>Details</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.data.map((event) => (
                <TableRow key={event.id}>
                  <TableCell className="align-top whitespace-nowrap text-muted-foreground">
                    <ClinicTime value={event.createdAt} timeZone={auth.organization.timezone} seconds />
                  </TableCell>
                  <TableCell className="align-top">
                    <div>{event.actorLabel}</div>
                    {event.ip && <div className="text-xs text-muted-foreground">{event.ip}</div>}
                  </TableCell>
                  <TableCell className="align-top">
                    <code className="text-xs">{event.action}</code>
                  </TableCell>
                  <TableCell className="align-top text-xs text-muted-foreground">
                    {event.targetType ? `${event.targetType} ${event.targetId?.slice(0, 8)}…` : "—"}
                  </TableCell>
                  <TableCell className="max-w-80 align-top text-xs break-words text-muted-foreground">
                    {[
                      describeChange(event.before) && `before ${describeChange(event.before)}`,
                      describeChange(event.after) && `after ${describeChange(event.after)}`,
                    ]
                      .filter(Boolean)
                      .join(" · ") || "—"}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {page.nextCursor && (
          <div>
            <Link href={nextPageHref("/app/settings/audit-log", params, FILTERS, page.nextCursor)} className={buttonVariants({ variant: "outline" })}>
              Older entries
            </Link>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
