import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft } from "lucide-react";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { todayIn } from "@/lib/invoices/dates";
import { getEndOfDayReport } from "@/lib/reports/get-end-of-day-report";
import { ZCalendarDate } from "@/lib/validation/fields";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { PrintButton } from "@/components/pay/print-button";
import { EndOfDayReportView } from "@/components/reports/end-of-day-report";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "End of day" };

const ZSearchParams = z.object({ date: ZCalendarDate.optional().catch(undefined) });

/** The drawer count: front-desk payments received on one clinic day, per staff member and method. Billing staff and admins. */
export default async function EndOfDayPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("billing");
  const timeZone = auth.organization.timezone;
  const today = todayIn(timeZone);
  const requested = ZSearchParams.parse(await searchParams).date;
  const date = requested && requested <= today ? requested : today;
  const report = await getEndOfDayReport(await getDb(), { organizationId: auth.organization.id, date });
  const dateLabel = formatIsoDate(date);

  return (
    <div className="grid gap-6">
      <Link href="/app/payments" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground" data-print-hidden>
        <ChevronLeft aria-hidden="true" className="size-4" /> Payments
      </Link>
      <PageHeader
        title={`End of day · ${dateLabel}`}
        description={`${auth.organization.name}: cash, checks, card terminal and other front-desk payments received ${date === today ? "today" : "on this day"}, per staff member, for the drawer count.`}
        actions={<PrintButton label="Print" />}
      />
      <form className="flex flex-wrap items-end gap-3" aria-label="Choose a day" data-print-hidden>
        <div className="grid gap-1.5">
          <Label htmlFor="end-of-day-date">Day</Label>
          <Input id="end-of-day-date" name="date" type="date" defaultValue={date} max={today} className="w-44" />
        </div>
        <Button type="submit" variant="outline">
          Show
        </Button>
      </form>
      <EndOfDayReportView report={report} timeZone={timeZone} dateLabel={dateLabel} />
    </div>
  );
}
