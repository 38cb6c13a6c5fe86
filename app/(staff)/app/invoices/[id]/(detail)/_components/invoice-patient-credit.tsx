import { getDb } from "@/lib/db/client";
import type { InvoiceView } from "@/lib/invoices/invoices.types";
import { getPatientCredit } from "@/lib/patient-credit/credit-balances";
import { formatMoney } from "@/lib/money/currency";
import { listCreditApplications } from "@/lib/patient-credit/list-credit-applications";
import { formatDateTime } from "@/components/invoices/invoice-format";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ApplyCreditDialog } from "@/components/patient-credit/apply-credit-dialog";
import { UnapplyCreditButton } from "@/components/patient-credit/unapply-credit-button";

type InvoicePatientCreditProps = {
  organizationId: string;
  invoice: Pick<InvoiceView, "id" | "number" | "status" | "currency" | "amountDue" | "patientId">;
  canWrite: boolean;
  timeZone: string;
};

/**
 * The invoice's side of patient credit: when it is still owed and its patient has credit in its
 * currency, a callout with "Apply credit"; and the credit already applied to it, each with "Take
 * back" for billing staff while the invoice is paid or partly paid. Renders nothing
 * when neither applies, so most invoices show no extra card.
 */
export async function InvoicePatientCredit({ organizationId, invoice, canWrite, timeZone }: InvoicePatientCreditProps) {
  if (invoice.status === "draft") return null;
  const db = await getDb();
  const [balances, applications] = await Promise.all([
    getPatientCredit(db, { organizationId, patientId: invoice.patientId }),
    listCreditApplications(db, { organizationId, invoiceId: invoice.id }),
  ]);
  const credit = balances.find((balance) => balance.currency === invoice.currency)?.balance ?? 0;
  const payable = (invoice.status === "open" || invoice.status === "partially_paid") && invoice.amountDue > 0;
  const offerCredit = payable && credit > 0;
  const canTakeBack = canWrite && (invoice.status === "paid" || invoice.status === "partially_paid");
  if (!offerCredit && applications.length === 0) return null;

  return (
    <Card data-testid="invoice-patient-credit">
      <CardHeader>
        <CardTitle>Patient credit</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {offerCredit && (
          <Alert variant="info">
            <AlertTitle>Patient has {formatMoney(credit, invoice.currency)} credit</AlertTitle>
            <AlertDescription className="grid gap-3">
              <span>From overpayments or credit notes. It can pay {credit >= invoice.amountDue ? "all" : "part"} of this invoice.</span>
              {canWrite ? (
                <ApplyCreditDialog
                  invoiceId={invoice.id}
                  invoiceNumber={invoice.number ?? "this invoice"}
                  currency={invoice.currency}
                  credit={credit}
                  amountDue={invoice.amountDue}
                />
              ) : (
                <span className="text-muted-foreground">Billing staff can apply it.</span>
              )}
            </AlertDescription>
          </Alert>
        )}
        {applications.length > 0 && (
          <div className="grid gap-2">
            <h3 className="text-sm font-medium">Credit applied</h3>
            <ul className="grid gap-3 text-sm" data-testid="credit-applications">
              {applications.map((application) => (
                <li key={application.id} className="flex items-start justify-between gap-3">
                  <span className="min-w-0">
                    <span className="block">
                      {application.automatic
                        ? "Applied automatically"
                        : application.createdByName
                          ? `Applied by ${application.createdByName}`
                          : "Applied through the API"}
                    </span>
                    <span className="block text-xs text-muted-foreground">{formatDateTime(application.createdAt, timeZone)}</span>
                    {application.unappliedAt && (
                      <span className="block text-xs text-muted-foreground" data-testid="credit-application-unapplied">
                        Taken back {formatDateTime(application.unappliedAt, timeZone)}
                      </span>
                    )}
                  </span>
                  <span className="grid justify-items-end gap-1">
                    <span className={application.unappliedAt ? "tabular-nums text-muted-foreground line-through" : "tabular-nums"}>
                      {formatMoney(application.amount, application.currency)}
                    </span>
                    {application.automatic && <Badge variant="secondary">Auto</Badge>}
                    {canTakeBack && !application.unappliedAt && (
                      <UnapplyCreditButton
                        creditApplicationId={application.id}
                        invoiceNumber={invoice.number ?? "this invoice"}
                        amount={application.amount}
                        currency={application.currency}
                      />
                    )}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
