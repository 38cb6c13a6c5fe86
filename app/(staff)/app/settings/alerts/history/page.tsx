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
          <Table scrollLabel="Alert history (scrolls sideways)">
            <TableHeader>
              <TableRow>
                <TableHead>Rule</TableHead>
                <TableHead>Fired</TableHead>
                <TableHead>Cleared</TableHead>
                <TableHead>Detail</TableHead>
                <TableHead>Email</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.data.map((alert) => (
                <TableRow key={alert.id} data-testid="alert-history-row">
                  <TableCell className="align-top font-medium whitespace-nowrap">{alert.label}</TableCell>
                  <TableCell className="align-top whitespace-nowrap text-muted-foreground">
                    <ClinicTime value={alert.firedAt} timeZone={timeZone} />
                  </TableCell>
                  <TableCell className="align-top whitespace-nowrap text-muted-foreground">
                    {alert.clearedAt ? <ClinicTime value={alert.clearedAt} timeZone={timeZone} /> : <Badge variant="warning">Active</Badge>}
                  </TableCell>
                  <TableCell className="max-w-120 align-top text-sm break-words">{alert.detail}</TableCell>
                  <TableCell className="align-top text-sm whitespace-nowrap text-muted-foreground">
                    {alert.emailed ? "Admins emailed" : "Within the email interval"}
                  </TableCell>
                </TableRow>
              ))}
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
