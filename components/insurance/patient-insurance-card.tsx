"use client";

import { useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Archive, ClipboardList, History, Pencil, Plus, SearchCheck, ShieldCheck } from "lucide-react";
import { formatCalendarDate } from "@/lib/dates/format-date";
import type { ActionResult } from "@/lib/http/action";
import type { CoveragePriority, CoverageView } from "@/lib/insurance/insurance.types";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { EmptyState } from "@/components/ui/empty-state";
import { BenefitsDialog, type CoverageBenefitsInputValues } from "./benefits-dialog";
import { CoverageBenefits, EligibilityCheckSummary } from "./coverage-benefits";
import { CoverageDialog, type CoverageInputValues, type PayerOption } from "./coverage-dialog";

type Result = ActionResult<unknown>;

export type PatientInsuranceActions = {
  create: (input: CoverageInputValues & { patientId: string }) => Promise<Result>;
  update: (input: CoverageInputValues & { coverageId: string }) => Promise<Result>;
  archive: (input: { coverageId: string }) => Promise<Result>;
  saveBenefits: (input: CoverageBenefitsInputValues & { coverageId: string }) => Promise<Result>;
  checkEligibility: (input: { coverageId: string }) => Promise<Result>;
};

/** In force, not started yet, or ended (by the clinic's today). */
function coverageState(coverage: CoverageView, today: string) {
  if (coverage.inForce) return { label: "In force", variant: "success" as const, current: true };
  if (coverage.effectiveFrom > today) return { label: `Starts ${formatCalendarDate(coverage.effectiveFrom)}`, variant: "warning" as const, current: true };
  return { label: "Ended", variant: "secondary" as const, current: false };
}

function coverageDates(coverage: CoverageView): string {
  const from = formatCalendarDate(coverage.effectiveFrom);
  return coverage.effectiveTo ? `${from} – ${formatCalendarDate(coverage.effectiveTo)}` : `From ${from}`;
}

function subscriberLine(coverage: CoverageView): string {
  if (!coverage.subscriber) return "The patient is the subscriber";
  const { firstName, middleName, lastName, birthDate } = coverage.subscriber;
  const name = [firstName, middleName, lastName].filter(Boolean).join(" ");
  return `${name} (patient's relationship: ${coverage.relationshipLabel.toLowerCase()})${birthDate ? `, born ${formatCalendarDate(birthDate)}` : ""}`;
}

/**
 * The patient page's Insurance section: coverages in force by priority, then ended ones, each with
 * its benefits and latest eligibility check. Billing staff add and edit coverages, enter benefits
 * by hand and check eligibility (a 270); everyone reads.
 */
export function PatientInsuranceCard({
  patientId,
  coverages,
  payers,
  today,
  timeZone,
  eligibilityWaitingHint,
  actions,
  className,
}: {
  patientId: string;
  coverages: CoverageView[];
  /** Payers a coverage may name (not archived). */
  payers: PayerOption[];
  /** The clinic's today, YYYY-MM-DD. */
  today: string;
  timeZone: string;
  /** What to do with a 270 until its answer arrives (depends on how files travel). */
  eligibilityWaitingHint: string;
  actions?: PatientInsuranceActions;
  className?: string;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState<CoverageView | "new" | null>(null);
  const [benefitsOf, setBenefitsOf] = useState<CoverageView | null>(null);
  const current = coverages.filter((coverage) => coverageState(coverage, today).current);
  const ended = coverages.filter((coverage) => !coverageState(coverage, today).current);
  const used = new Set(current.map((coverage) => coverage.priority));
  const defaultPriority = (([1, 2, 3] as const).find((priority) => !used.has(priority)) ?? 1) as CoveragePriority;
  const addButton = actions && (
    <Button type="button" variant="outline" size="sm" className="w-fit" onClick={() => setEditing("new")}>
      <Plus aria-hidden="true" /> Add coverage
    </Button>
  );

  const list = (items: CoverageView[]) => (
    <ul className="grid gap-4">
      {items.map((coverage) => (
        <CoverageItem
          key={coverage.id}
          coverage={coverage}
          patientId={patientId}
          today={today}
          timeZone={timeZone}
          eligibilityWaitingHint={eligibilityWaitingHint}
          actions={actions}
          onEdit={() => setEditing(coverage)}
          onEnterBenefits={() => setBenefitsOf(coverage)}
        />
      ))}
    </ul>
  );

  return (
    <Card className={className} data-testid="patient-insurance">
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <CardTitle>Insurance</CardTitle>
          <CardDescription>Coverages by priority; claims go to the primary in force on the visit&apos;s date.</CardDescription>
        </div>
        {coverages.length > 0 && addButton}
      </CardHeader>
      <CardContent className="grid gap-4">
        {coverages.length === 0 ? (
          <EmptyState
            icon={ShieldCheck}
            title="No insurance on file"
            description={actions ? "Add the patient's coverage from their insurance card." : "Self-pay until a coverage is added."}
            action={addButton}
          />
        ) : (
          <>
            {current.length > 0 ? list(current) : <p className="text-sm text-muted-foreground">No coverage is in force.</p>}
            {ended.length > 0 && (
              <section className="grid gap-3" aria-labelledby={`ended-coverages-${patientId}`}>
                <h3 id={`ended-coverages-${patientId}`} className="border-t pt-4 text-sm font-semibold text-muted-foreground">
                  Ended
                </h3>
                {list(ended)}
              </section>
            )}
          </>
        )}
      </CardContent>
      {actions && editing !== null && (
        <CoverageDialog
          key={editing === "new" ? "new" : editing.id}
          coverage={editing === "new" ? null : editing}
          payers={payers}
          defaultPriority={defaultPriority}
          today={today}
          onClose={() => setEditing(null)}
          onSave={(values) => (editing === "new" ? actions.create({ ...values, patientId }) : actions.update({ ...values, coverageId: editing.id }))}
          onSaved={() => {
            toast.success(editing === "new" ? "Coverage added." : "Coverage saved.");
            setEditing(null);
            router.refresh();
          }}
        />
      )}
      {actions && benefitsOf !== null && (
        <BenefitsDialog
          key={benefitsOf.id}
          coverage={benefitsOf}
          onClose={() => setBenefitsOf(null)}
          onSave={(values) => actions.saveBenefits({ ...values, coverageId: benefitsOf.id })}
          onSaved={() => {
            toast.success("Benefits saved.");
            setBenefitsOf(null);
            router.refresh();
          }}
        />
      )}
    </Card>
  );
}

function CoverageItem({
  coverage,
  patientId,
  today,
  timeZone,
  eligibilityWaitingHint,
  actions,
  onEdit,
  onEnterBenefits,
}: {
  coverage: CoverageView;
  patientId: string;
  today: string;
  timeZone: string;
  eligibilityWaitingHint: string;
  actions?: PatientInsuranceActions;
  onEdit: () => void;
  onEnterBenefits: () => void;
}) {
  const router = useRouter();
  const [checking, startCheck] = useTransition();
  const [checkError, setCheckError] = useState<string | null>(null);
  const state = coverageState(coverage, today);

  function checkEligibility() {
    if (!actions) return;
    setCheckError(null);
    startCheck(async () => {
      const result = await actions.checkEligibility({ coverageId: coverage.id });
      // "Cannot be written yet" comes with what is missing (the practice, the clearinghouse) in words.
      if (!result.ok) return setCheckError([result.error.message, ...Object.values(result.error.fields ?? {}).flat()].join(" "));
      toast.success("Eligibility request (270) created.");
      router.refresh();
    });
  }

  return (
    <li className="grid gap-3 rounded-lg border p-4" data-testid="coverage" aria-label={`${coverage.priorityLabel}: ${coverage.payer.name}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="flex min-w-0 flex-wrap items-center gap-2">
          <Badge variant="outline">{coverage.priorityLabel}</Badge>
          <span className="font-medium break-words">{coverage.payer.name}</span>
        </p>
        <Badge variant={state.variant}>{state.label}</Badge>
      </div>
      <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-2">
        <div className="grid">
          <dt className="text-muted-foreground">Member id</dt>
          <dd className="font-mono break-all">{coverage.memberId}</dd>
        </div>
        <div className="grid">
          <dt className="text-muted-foreground">Group</dt>
          <dd className="break-words">{[coverage.groupNumber, coverage.groupName].filter(Boolean).join(" · ") || "None"}</dd>
        </div>
        <div className="grid">
          <dt className="text-muted-foreground">Dates</dt>
          <dd>{coverageDates(coverage)}</dd>
        </div>
        <div className="grid">
          <dt className="text-muted-foreground">Subscriber</dt>
          <dd className="break-words">{subscriberLine(coverage)}</dd>
        </div>
      </dl>
      <CoverageBenefits benefits={coverage.benefits} currency={coverage.currency} timeZone={timeZone} />
      {coverage.latestEligibility && <EligibilityCheckSummary check={coverage.latestEligibility} timeZone={timeZone} waitingHint={eligibilityWaitingHint} />}
      {checkError && (
        <Alert variant="destructive">
          <AlertDescription>{checkError}</AlertDescription>
        </Alert>
      )}
      <div className="flex flex-wrap gap-2">
        {actions && (
          <>
            <Button type="button" variant="outline" size="sm" onClick={onEdit} aria-label={`Edit the ${coverage.payer.name} coverage`}>
              <Pencil aria-hidden="true" /> Edit
            </Button>
            <Button type="button" variant="outline" size="sm" onClick={onEnterBenefits}>
              <ClipboardList aria-hidden="true" /> Enter benefits
            </Button>
            {state.current && (
              <Button type="button" variant="outline" size="sm" loading={checking} onClick={checkEligibility}>
                <SearchCheck aria-hidden="true" /> Check eligibility
              </Button>
            )}
          </>
        )}
        <Link href={`/app/patients/${patientId}/coverages/${coverage.id}`} className={buttonVariants({ variant: "ghost", size: "sm" })}>
          <History aria-hidden="true" /> History
        </Link>
        {actions && (
          <ConfirmButton
            title={`Remove the ${coverage.payer.name} coverage?`}
            description="It is archived: kept with its history and on claims already made, but no longer offered for new claims. To record that it ended, edit its end date instead."
            confirmLabel="Remove coverage"
            pendingLabel="Removing…"
            destructive
            variant="ghost"
            onConfirm={async () => {
              const result = await actions.archive({ coverageId: coverage.id });
              if (result.ok) {
                toast.success("Coverage removed.");
                router.refresh();
              }
              return result;
            }}
          >
            <Archive aria-hidden="true" /> Remove
          </ConfirmButton>
        )}
      </div>
    </li>
  );
}
