import type { Metadata } from "next";
import Link from "next/link";
import { CircleCheck } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { listAttentionItems } from "@/lib/autopay/list-attention-items";
import { dateTimeFormatter } from "@/lib/dates/format-date";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Needs attention" };

const KIND_LABELS = { autopay_failed: "Autopay failed", card_expiring: "Card expiring", authentication_required: "Bank confirmation needed" } as const;

export default async function NeedsAttentionPage() {
  const auth = await requirePageAuth("viewer");
  const items = await listAttentionItems(await getDb(), { organizationId: auth.organization.id });
  const dateFormat = dateTimeFormatter({ timeZone: auth.organization.timezone });
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Needs attention"
        description="Payment plan and membership charges that failed for good, cards that need the patient, and expiring cards on active plans and memberships. The patient has been emailed a link; an item closes itself when the plan or membership is paid up or ends."
      />
      <Card>
        <CardContent className="pt-4 sm:pt-6">
          {items.length === 0 ? (
            <EmptyState
              icon={CircleCheck}
              title="Nothing needs attention"
              description="Failed autopay charges and expiring cards on plans and memberships show up here."
            />
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Since</TableHead>
                  <TableHead>Patient</TableHead>
                  <TableHead className="hidden md:table-cell">What happened</TableHead>
                  <TableHead className="text-right">Plan or membership</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((item) => (
                  <TableRow key={item.id} data-testid="attention-row">
                    <TableCell className="whitespace-nowrap">{dateFormat.format(item.createdAt)}</TableCell>
                    <TableCell>
                      <Link href={`/app/patients/${item.patient.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                        {item.patient.firstName} {item.patient.lastName}
                      </Link>
                      <Badge variant="warning" className="mt-1 block md:hidden">
                        {KIND_LABELS[item.kind]}
                      </Badge>
                    </TableCell>
                    <TableCell className="hidden md:table-cell">
                      <Badge variant="warning">{KIND_LABELS[item.kind]}</Badge>
                      <span className="mt-1 block text-sm text-muted-foreground">{item.message}</span>
                    </TableCell>
                    <TableCell className="text-right">
                      {item.paymentPlanId && (
                        <Link href={`/app/payment-plans/${item.paymentPlanId}`} className="text-primary underline-offset-4 hover:underline">
                          Open plan
                        </Link>
                      )}
                      {item.membershipId && (
                        <Link href={`/app/memberships/${item.membershipId}`} className="text-primary underline-offset-4 hover:underline">
                          Open membership
                        </Link>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
