"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import type { MembershipPlanView } from "@/lib/memberships/memberships.types";
import { formatMoney } from "@/lib/money/currency";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { perInterval } from "./membership-status-badge";

export type EnrollMembershipValues = {
  patientId: string;
  membershipPlanId: string;
  startDate: string;
  savedPaymentMethodId?: string;
  sendCardLink?: boolean;
};

type CardOption = { id: string; label: string };

const FIELDS = ["membershipPlanId", "startDate", "savedPaymentMethodId", "sendCardLink"] as const;

/**
 * Staff enroll a patient in a membership plan: the plan, the first period's start (today charges
 * at once) and the card, among the patient's cards saved with consent, or a card link emailed to
 * the patient when there is none yet.
 */
export function EnrollMembershipForm(props: {
  patientId: string;
  patientEmail: string | null;
  today: string;
  plans: MembershipPlanView[];
  cards: CardOption[];
  enroll: (input: EnrollMembershipValues) => Promise<ActionResult<{ id: string; status: string }>>;
}) {
  const router = useRouter();
  const [planId, setPlanId] = useState(props.plans[0]?.id ?? "");
  const [startDate, setStartDate] = useState(props.today);
  const [cardId, setCardId] = useState(props.cards[0]?.id ?? "");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const error = (name: string) => errors[name]?.[0];
  const plan = props.plans.find((option) => option.id === planId);
  const startsToday = startDate === props.today;
  const cardError = error("savedPaymentMethodId") ?? error("sendCardLink");
  const cardHint =
    cardId === ""
      ? props.patientEmail
        ? `We email ${props.patientEmail} a link to add a card; the first charge waits for it.`
        : "The patient has no email address: add one on their page first, or add a card at the desk."
      : "Only cards saved with the patient's consent to be charged without them present.";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!planId) found.membershipPlanId = ["Choose a membership plan."];
    if (!startDate) found.startDate = ["Choose the date the membership starts."];
    else if (startDate < props.today) found.startDate = ["The membership cannot start in the past."];
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return;
    startTransition(async () => {
      const result = await props.enroll({
        patientId: props.patientId,
        membershipPlanId: planId,
        startDate,
        ...(cardId ? { savedPaymentMethodId: cardId } : { sendCardLink: true }),
      });
      if (result.ok) {
        toast.success(startsToday && cardId ? "Membership started; the first period is charged now." : "Membership created.");
        router.push(`/app/memberships/${result.data.id}`);
        return;
      }
      const fields = result.error.fields ?? {};
      setErrors(fields);
      // The patient's own problem (archived) has no field here: it is the form's message.
      if (!FIELDS.some((field) => fields[field])) setFormError(fields.patientId?.[0] ?? result.error.message);
    });
  }

  return (
    <form className="grid gap-6" onSubmit={submit} noValidate>
      <Card>
        <CardHeader>
          <CardTitle>Membership</CardTitle>
          <CardDescription>Each period is invoiced and charged automatically at its start. Staff or the patient can cancel at any time.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <FormField label="Plan" htmlFor="membership-plan" error={error("membershipPlanId")} required>
            <Select
              {...fieldControlProps("membership-plan", { error: error("membershipPlanId"), required: true })}
              value={planId}
              onChange={(event) => setPlanId(event.target.value)}
            >
              {props.plans.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name} — {perInterval(formatMoney(option.amount, option.currency), option.interval)}
                </option>
              ))}
            </Select>
          </FormField>
          {plan?.description && <p className="-mt-2 text-sm whitespace-pre-line text-muted-foreground">{plan.description}</p>}
          <FormField label="Starts" htmlFor="membership-start" error={error("startDate")} required>
            <Input
              {...fieldControlProps("membership-start", { error: error("startDate"), required: true })}
              type="date"
              min={props.today}
              value={startDate}
              onChange={(event) => setStartDate(event.target.value)}
            />
          </FormField>
          <FormField label="Card" htmlFor="membership-card" error={cardError} hint={cardHint}>
            <Select
              {...fieldControlProps("membership-card", { error: cardError, hint: cardHint })}
              value={cardId}
              onChange={(event) => setCardId(event.target.value)}
            >
              {props.cards.map((card) => (
                <option key={card.id} value={card.id}>
                  {card.label}
                </option>
              ))}
              <option value="">No card yet: email the patient a link to add one</option>
            </Select>
          </FormField>
          {plan && (
            <p className="rounded-md bg-muted px-3 py-2 text-sm" data-testid="enroll-summary">
              {startsToday
                ? `${formatMoney(plan.amount, plan.currency)} is ${cardId ? "charged today" : "charged once the patient adds a card"}, then every ${plan.interval === "monthly" ? "month" : "year"}.`
                : `First charge of ${formatMoney(plan.amount, plan.currency)} on ${formatIsoDate(startDate)}, then every ${plan.interval === "monthly" ? "month" : "year"}.`}
            </p>
          )}
        </CardContent>
      </Card>
      {formError && (
        <Alert variant="destructive">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" loading={pending}>
          {pending ? "Enrolling…" : "Enroll patient"}
        </Button>
      </div>
    </form>
  );
}
