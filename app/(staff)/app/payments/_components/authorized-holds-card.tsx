import Link from "next/link";
import { getDb } from "@/lib/db/client";
import { formatMoney } from "@/lib/money/currency";
import { holdExpiry, listAuthorizedPayments } from "@/lib/payments/list-authorized-payments";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { dateTimeFormatter } from "@/lib/dates/format-date";

/**
 * "Authorized, awaiting capture" on the payments list: card holds the soonest to lapse first,
 * flagged under 48 hours and once expired. Nothing at all when there are none.
 */
export async function AuthorizedHoldsCard(props: { organizationId: string; timeZone: string }) {
  const holds = await listAuthorizedPayments(await getDb(), { organizationId: props.organizationId });
  if (holds.length === 0) return null;
  const dateFormat = dateTimeFormatter({ timeZone: props.timeZone });
  const now = new Date();
  return (
    <Card id="holds" data-testid="authorized-holds" className="min-w-0">
      <CardHeader>
        <CardTitle>Authorized, awaiting capture</CardTitle>
        <CardDescription>Card holds placed on the pay page. Capture or release each one before it expires (about 7 days after authorization).</CardDescription>
      </CardHeader>
      <CardContent>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Expires</TableHead>
              <TableHead className="hidden sm:table-cell">Patient</TableHead>
              <TableHead className="hidden sm:table-cell">Invoice</TableHead>
              <TableHead className="text-right">Authorized</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {holds.map((hold) => {
              const expiry = holdExpiry(hold.captureBefore, now);
              return (
                <TableRow key={hold.id}>
                  <TableCell>
                    <div className="flex flex-wrap items-center gap-2">
                      <Link href={`/app/payments/${hold.id}`} className="font-medium whitespace-nowrap text-primary underline-offset-4 hover:underline">
                        {hold.captureBefore ? dateFormat.format(hold.captureBefore) : "Unknown"}
                      </Link>
                      {expiry.tone !== "ok" && <Badge variant={expiry.tone === "warning" ? "warning" : "destructive"}>{expiry.label}</Badge>}
                    </div>
                    <span className="mt-0.5 block text-muted-foreground sm:hidden">
                      {hold.patient?.name} · {hold.invoice?.number}
                    </span>
                  </TableCell>
                  <TableCell className="hidden sm:table-cell">{hold.patient?.name}</TableCell>
                  <TableCell className="hidden whitespace-nowrap sm:table-cell">{hold.invoice?.number}</TableCell>
                  <TableCell className="text-right whitespace-nowrap tabular-nums">{formatMoney(hold.amountCapturable, hold.currency)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
