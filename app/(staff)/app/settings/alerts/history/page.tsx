import type { Metadata } from "next";
import Link from "next/link";
import { BellOff } from "lucide-react";
import { listAlertHistory, ZListAlertHistoryInput } from "@/lib/alerts/list-alert-history";
import { requirePageAuth } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { firstParam, nextPageHref } from "@/lib/http/search-params";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ClinicTime } from "@/components/ui/clinic-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Alert history" };

const PATH = "/app/settings/alerts/history";

export default async function AlertHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("admin");
  const params = await searchParams;
  const parsed = ZListAlertHistoryInput.safeParse({ cursor: firstParam(params, "cursor") });
  const page = await listAlertHistory(await getDb(), { organizationId: auth.organization.id, input: parsed.success ? parsed.data : {} });
  const timeZone = auth.organization.timezone;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Alert history</CardTitle>
        <CardDescription>
          Every alert, newest first: when its rule fired, what held, and when it cleared by itself.{" "}
          <Link href="/app/settings/alerts" className="font-medium text-foreground underline underline-offset-4">
            Alert rules
          </Link>
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {page.data.length === 0 ? (
          <EmptyState
            icon={BellOff}
            title={parsed.success && parsed.data.cursor ? "No older alerts" : "No alerts yet"}
            description="When a rule's condition holds, the alert appears here with when it fired and when it cleared."
          />
        ) : (
          // Phones keep one column: each alert's facts stacked under its rule as a definition list; wider screens get the columns.
          <Table scrollLabel="Alert history">
            <TableHeader>
              <TableRow>
                <TableHead>
                  <span className="md:hidden">Alert</span>
                  <span className="hidden md:inline">Rule</span>
                </TableHead>
                <TableHead className="hidden md:table-cell">Fired</TableHead>
                <TableHead className="hidden md:table-cell">Cleared</TableHead>
                <TableHead className="hidden md:table-cell">Detail</TableHead>
                <TableHead className="hidden md:table-cell">Email</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.data.map((alert) => {
                const cleared = alert.clearedAt ? <ClinicTime value={alert.clearedAt} timeZone={timeZone} /> : <Badge variant="warning">Active</Badge>;
                const email = alert.emailed ? "Admins emailed" : "Within the email interval";
                return (
                  <TableRow key={alert.id} data-testid="alert-history-row">
                    <TableCell className="align-top font-medium whitespace-normal md:whitespace-nowrap">
                      {alert.label}
                      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm font-normal md:hidden">
                        <dt className="text-muted-foreground">Fired</dt>
                        <dd>
                          <ClinicTime value={alert.firedAt} timeZone={timeZone} />
                        </dd>
                        <dt className="text-muted-foreground">Cleared</dt>
                        <dd>{cleared}</dd>
                        <dt className="text-muted-foreground">Email</dt>
                        <dd>{email}</dd>
                        <dt className="sr-only">Detail</dt>
                        <dd className="col-span-2 break-words">{alert.detail}</dd>
                      </dl>
                    </TableCell>
                    <TableCell className="hidden align-top whitespace-nowrap text-muted-foreground md:table-cell">
                      <ClinicTime value={alert.firedAt} timeZone={timeZone} />
                    </TableCell>
                    <TableCell className="hidden align-top whitespace-nowrap text-muted-foreground md:table-cell">{cleared}</TableCell>
                    <TableCell className="hidden max-w-120 align-top text-sm whitespace-normal break-words md:table-cell">{alert.detail}</TableCell>
                    <TableCell className="hidden align-top text-sm whitespace-nowrap text-muted-foreground md:table-cell">{email}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
        {page.nextCursor && (
          <div>
            <Link href={nextPageHref(PATH, params, [], page.nextCursor)} className={buttonVariants({ variant: "outline" })}>
              Older alerts
            </Link>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
