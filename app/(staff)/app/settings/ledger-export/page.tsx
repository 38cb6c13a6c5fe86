import type { Metadata } from "next";
import { Download } from "lucide-react";
import { requirePageAuth } from "@/lib/auth/session";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

export const metadata: Metadata = { title: "Ledger export" };

export default async function LedgerExportPage() {
  await requirePageAuth("admin");
  return (
    <Card>
      <CardHeader>
        <CardTitle>Ledger export</CardTitle>
        <CardDescription>
          Every journal (invoices, payments, fees, voids, write-offs) for a period, for your accountant: a CSV file for spreadsheets, or a plain-text journal
          that hledger and ledger-cli read. Dates are in the clinic&apos;s time zone; leave them empty for everything.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form action="/app/settings/ledger-export/download" method="get" className="grid gap-4 sm:grid-cols-4 sm:items-end">
          <div className="grid gap-1.5">
            <Label htmlFor="export-from">From</Label>
            <Input id="export-from" name="from" type="date" />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="export-to">To</Label>
            <Input id="export-to" name="to" type="date" />
          </div>
          {/* Two submit buttons, one per format: CSV (spreadsheets) first; the hledger journal one click away. */}
          <div className="flex flex-wrap gap-2 sm:col-span-2">
            <Button type="submit" name="format" value="csv">
              <Download aria-hidden="true" /> Download CSV
            </Button>
            <Button type="submit" name="format" value="hledger" variant="outline">
              Download hledger journal
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
