import Link from "next/link";
import { FileText } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { getInvoiceCreditNotes } from "@/lib/credit-notes/get-invoice-credit-notes";
import { formatMoney } from "@/lib/money/currency";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { IssueCreditNoteDialog } from "@/components/credit-notes/issue-credit-note-dialog";
import { dayFormatter } from "@/lib/dates/format-date";
import { dispositionLabel } from "@/components/credit-notes/credit-note-labels";

/**
 * The invoice page's credit notes: each with its number (opens the PDF), date, amount, where it
 * went and why, and for billing staff the "Issue credit note" dialog. Nothing for drafts.
 */
export async function CreditNotesCard(props: { invoiceId: string; organizationId: string; canWrite: boolean; timeZone: string }) {
  const credit = await getInvoiceCreditNotes(await getDb(), { organizationId: props.organizationId, invoiceId: props.invoiceId });
  if (!credit) return null;
  const { invoice, creditNotes, fromBalance, fromPaid } = credit;
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  const date = dayFormatter({ timeZone: props.timeZone });
  const canIssue = props.canWrite && (fromBalance > 0 || fromPaid > 0);

  return (
    <Card data-testid="credit-notes">
      <CardHeader>
        <CardTitle>Credit notes</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {creditNotes.length === 0 ? (
          <p className="text-sm text-muted-foreground">No credit notes.</p>
        ) : (
          <ul className="grid gap-3 text-sm">
            {creditNotes.map((creditNote) => (
              <li key={creditNote.id} className="grid gap-1" data-testid="credit-note-row">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link
                    href={`/app/credit-notes/${creditNote.id}/pdf`}
                    target="_blank"
                    rel="noopener"
                    prefetch={false}
                    className="inline-flex items-center gap-1 font-medium text-primary underline-offset-4 hover:underline"
                  >
                    <FileText aria-hidden="true" className="size-4" /> {creditNote.number}
                    <span className="sr-only"> (PDF)</span>
                  </Link>
                  <span className={creditNote.status === "void" ? "tabular-nums text-muted-foreground line-through" : "tabular-nums"}>
                    {money(creditNote.amount)}
                  </span>
                </div>
                <div className="flex flex-wrap items-center gap-2 text-muted-foreground">
                  <span>{date.format(new Date(creditNote.createdAt))}</span>
                  <span aria-hidden="true">·</span>
                  <span>{dispositionLabel(creditNote)}</span>
                  {creditNote.status === "void" && <Badge variant="outline">Void</Badge>}
                </div>
                <p className="break-words text-muted-foreground">{creditNote.reason}</p>
              </li>
            ))}
          </ul>
        )}
        {canIssue && (
          <IssueCreditNoteDialog
            invoiceId={invoice.id}
            invoiceNumber={invoice.number ?? "this invoice"}
            currency={invoice.currency}
            fromBalance={fromBalance}
            fromPaid={fromPaid}
          />
        )}
      </CardContent>
    </Card>
  );
}
