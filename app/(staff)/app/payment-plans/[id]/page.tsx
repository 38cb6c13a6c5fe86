import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { formatMoney } from "@/lib/money/currency";
import { orNotFound } from "@/lib/http/or-not-found";
import { getPaymentPlanOrThrow } from "@/lib/payment-plans/get-payment-plan";
import { cancelPaymentPlanAction, pausePaymentPlanAction, resumePaymentPlanAction } from "@/lib/actions/payment-plans/change-payment-plan-state";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { PaymentPlanActions } from "@/components/payment-plans/payment-plan-actions";
import { SkipInstallmentButton } from "@/components/payment-plans/skip-installment-button";
import { skipInstallmentAction } from "@/lib/actions/payment-plans/skip-installment";
import { rescheduleInstallmentAction } from "@/lib/actions/payment-plans/reschedule-installment";
import { changePlanCardAction } from "@/lib/actions/payment-plans/change-plan-card";
import { RescheduleInstallmentButton } from "@/components/payment-plans/reschedule-installment-button";
import { ChangePlanCardDialog } from "@/components/payment-plans/change-plan-card-dialog";
import { listPlanOptions } from "@/lib/payment-plans/list-plan-options";
import { getLiveCardLink } from "@/lib/card-links/create-card-link";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { todayIn } from "@/lib/invoices/dates";
import { cardLabel } from "@/components/cards/card-label";
import { installmentStatusLabel, PlanStatusBadge } from "@/components/payment-plans/plan-status-badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Payment plan" };

const FREQUENCY_LABELS = { weekly: "weekly", biweekly: "every 2 weeks", monthly: "monthly" } as const;
const DECLINE_LABELS = { soft: "declined, retried", hard: "declined, not retried", authentication_required: "needs the patient's bank confirmation" } as const;

export default async function PaymentPlanPage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const plan = await orNotFound((await params).id, (planId) => getPaymentPlanOrThrow(db, { organizationId: auth.organization.id, planId }));
  const money = (amount: number) => formatMoney(amount, plan.currency);
  const canWrite = hasRole(auth.role, "billing");
  const lastSequence = Math.max(...plan.installments.map((row) => row.sequence));
  const canChange = canWrite && (plan.status === "active" || plan.status === "past_due" || plan.status === "paused");
  const [patient, options, liveLink] = canChange
    ? await Promise.all([
        getPatientOrThrow(db, { id: plan.patientId, organizationId: auth.organization.id }),
        listPlanOptions(db, { organizationId: auth.organization.id, patientId: plan.patientId }),
        getLiveCardLink(db, { organizationId: auth.organization.id, patientId: plan.patientId }),
      ])
    : [null, null, null];
  const today = todayIn(auth.organization.timezone);
  const facts: [string, string][] = [
    ["Plan total", money(plan.totalAmount)],
    ["Still owed", money(plan.remainingAmount)],
    ["Down payment", plan.downPaymentAmount > 0 ? money(plan.downPaymentAmount) : "None"],
    ["Installments", `${plan.installmentCount}, ${FREQUENCY_LABELS[plan.frequency]} from ${formatIsoDate(plan.startDate)}`],
    ["Card", plan.card ? cardLabel(plan.card) : "The patient's default card, once they add one"],
    ["Reminder", plan.reminderDaysBefore > 0 ? `${plan.reminderDaysBefore} days before each charge` : "None"],
  ];

  return (
    // One shrinkable column: a wide table scrolls inside its card instead of widening the page on a phone.
    <div className="grid grid-cols-1 gap-6">
      <Link href={`/app/patients/${plan.patientId}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Patient
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            Payment plan
            <PlanStatusBadge status={plan.status} />
          </span>
        }
        description="Charged off-session to the card on file at the clinic's morning on each due date; never more than the invoices still owe."
        actions={
          canWrite ? (
            <PaymentPlanActions
              planId={plan.id}
              status={plan.status}
              actions={{ pause: pausePaymentPlanAction, resume: resumePaymentPlanAction, cancel: cancelPaymentPlanAction }}
            />
          ) : undefined
        }
      />
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:pt-6">
          <dl className="grid gap-3 sm:grid-cols-2">
            {facts.map(([label, value]) => (
              <div key={label} data-testid={label === "Card" ? "plan-card" : undefined}>
                <dt className="text-sm text-muted-foreground">{label}</dt>
                <dd className="font-medium">{value}</dd>
              </div>
            ))}
          </dl>
          {patient && options && (
            <div>
              <ChangePlanCardDialog
                planId={plan.id}
                patientId={plan.patientId}
                patientEmail={patient.email}
                hasLiveLink={liveLink !== null}
                currentCardId={plan.card?.id ?? null}
                cards={options.cards}
                changeCard={changePlanCardAction}
              />
            </div>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Schedule</CardTitle>
        </CardHeader>
        <CardContent>
          <Table className="[&_td]:px-2 [&_th]:px-2 sm:[&_td]:px-3 sm:[&_th]:px-3">
            <TableHeader>
              <TableRow>
                <TableHead>Due</TableHead>
                <TableHead className="hidden sm:table-cell">Installment</TableHead>
                <TableHead className="hidden sm:table-cell">Status</TableHead>
                <TableHead className="text-right">Amount</TableHead>
                {canChange && (
                  <TableHead className="w-0">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {plan.installments.map((row) => {
                const last = row.attempts.at(-1);
                const status = (
                  <>
                    {installmentStatusLabel(row.status)}
                    {last?.declineKind && (
                      <span className="block text-sm text-muted-foreground">
                        Attempt {last.attempt}: {DECLINE_LABELS[last.declineKind]}
                        {last.declineCode ? ` (${last.declineCode.replaceAll("_", " ")})` : ""}
                      </span>
                    )}
                  </>
                );
                return (
                  <TableRow key={row.id} data-testid="installment-row">
                    <TableCell>
                      <span className="whitespace-nowrap">{formatIsoDate(row.dueDate)}</span>
                      <span className="block text-sm text-muted-foreground sm:hidden">{status}</span>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{row.sequence === 0 ? "Down payment" : `${row.sequence} of ${lastSequence}`}</TableCell>
                    <TableCell className="hidden sm:table-cell">{status}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {row.paidAmount > 0 && row.paidAmount !== row.scheduledAmount
                        ? `${money(row.paidAmount)} of ${money(row.scheduledAmount)}`
                        : money(row.scheduledAmount)}
                    </TableCell>
                    {canChange && (
                      <TableCell className="text-right">
                        {row.status === "scheduled" && row.attempts.every((attempt) => attempt.status !== "processing") && (
                          <div className="flex flex-col items-end gap-1 sm:flex-row sm:justify-end">
                            <RescheduleInstallmentButton
                              planId={plan.id}
                              installmentId={row.id}
                              label={row.sequence === 0 ? "the down payment" : `installment ${row.sequence}`}
                              dueDate={row.dueDate}
                              today={today}
                              reschedule={rescheduleInstallmentAction}
                            />
                            {row.sequence > 0 && (
                              <SkipInstallmentButton
                                planId={plan.id}
                                installmentId={row.id}
                                label={`installment ${row.sequence}`}
                                skip={skipInstallmentAction}
                              />
                            )}
                          </div>
                        )}
                      </TableCell>
                    )}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Invoices on this plan</CardTitle>
        </CardHeader>
        <CardContent>
          <ul className="grid gap-2">
            {plan.invoices.map((invoice) => (
              <li key={invoice.id} className="flex flex-wrap justify-between gap-2">
                <Link href={`/app/invoices/${invoice.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                  {invoice.number ?? "Invoice"}
                </Link>
                <span className="text-muted-foreground tabular-nums">
                  {money(invoice.amountDue)} owed of {money(invoice.amountAtStart)}
                </span>
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
    </div>
  );
}
