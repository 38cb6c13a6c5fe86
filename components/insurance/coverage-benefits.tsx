import { Download } from "lucide-react";
import { formatDateTime, formatDay } from "@/lib/dates/format-date";
import type { CoverageBenefitsView, EligibilityCheckView } from "@/lib/insurance/insurance.types";
import { formatMoney } from "@/lib/money/currency";
import { Badge } from "@/components/ui/badge";
import { formatPercent } from "./insurance-options";

/** "$500.00 met of $1,500.00" with a bar; nothing when the maximum is unknown. */
function MetOfMax({ label, met, max, currency }: { label: string; met: number | null; max: number | null; currency: string }) {
  if (max === null) return null;
  const metAmount = met ?? 0;
  const share = max === 0 ? 100 : Math.min(100, Math.round((metAmount / max) * 100));
  const text = met === null ? `${formatMoney(max, currency)} (met so far unknown)` : `${formatMoney(metAmount, currency)} met of ${formatMoney(max, currency)}`;
  return (
    <div className="grid gap-1" data-testid="benefit-meter">
      <div className="flex flex-wrap justify-between gap-x-3 text-sm">
        <span className="text-muted-foreground">{label}</span>
        <span className="tabular-nums">{text}</span>
      </div>
      <div
        role="progressbar"
        aria-label={`${label}: ${text}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={share}
        className="h-2 overflow-hidden rounded-full bg-muted"
      >
        <div className="h-full rounded-full bg-primary" style={{ width: `${share}%` }} />
      </div>
    </div>
  );
}

/**
 * A coverage's benefits as the desk reads them before a visit: co-pays, coinsurance, and how much of
 * the deductible and out-of-pocket maximum is met, with when and how they were last verified.
 */
export function CoverageBenefits({ benefits, currency, timeZone }: { benefits: CoverageBenefitsView; currency: string; timeZone: string }) {
  const known =
    benefits.copays.length > 0 ||
    benefits.coinsuranceBasisPoints !== null ||
    [benefits.deductibleIndividual, benefits.deductibleFamily, benefits.outOfPocketMaxIndividual, benefits.outOfPocketMaxFamily].some(
      (value) => value !== null,
    );
  return (
    <div className="grid gap-3 rounded-md bg-muted/40 p-3" data-testid="coverage-benefits">
      <p className="text-sm">
        {benefits.verifiedAt ? (
          <>
            <span className="font-medium">Benefits verified {formatDay(benefits.verifiedAt, { timeZone })}</span>
            <span className="text-muted-foreground">{benefits.source === "eligibility" ? " from an eligibility check" : " by hand"}</span>
          </>
        ) : (
          <span className="text-muted-foreground">Benefits not verified yet.</span>
        )}
      </p>
      {known && (
        <>
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
            {benefits.copays.map((copay) => (
              <div key={copay.visitType} className="grid">
                <dt className="text-muted-foreground">{copay.label} co-pay</dt>
                <dd className="tabular-nums">{formatMoney(copay.amount, currency)}</dd>
              </div>
            ))}
            {benefits.coinsuranceBasisPoints !== null && (
              <div className="grid">
                <dt className="text-muted-foreground">Coinsurance</dt>
                <dd className="tabular-nums">{formatPercent(benefits.coinsuranceBasisPoints)}%</dd>
              </div>
            )}
          </dl>
          <div className="grid gap-2">
            <MetOfMax label="Individual deductible" met={benefits.deductibleIndividualMet} max={benefits.deductibleIndividual} currency={currency} />
            <MetOfMax label="Family deductible" met={benefits.deductibleFamilyMet} max={benefits.deductibleFamily} currency={currency} />
            <MetOfMax label="Individual out-of-pocket" met={benefits.outOfPocketMaxIndividualMet} max={benefits.outOfPocketMaxIndividual} currency={currency} />
            <MetOfMax label="Family out-of-pocket" met={benefits.outOfPocketMaxFamilyMet} max={benefits.outOfPocketMaxFamily} currency={currency} />
          </div>
        </>
      )}
    </div>
  );
}

/** Where the 270 of a check is downloaded (a staff route, audited). */
export const eligibilityRequestHref = (checkId: string) => `/app/eligibility-checks/${checkId}/request`;

/**
 * One eligibility check: waiting (with its 270 to download and send, and whether it was sent yet),
 * answered (active or not, and what the payer said, line by line) or failed (the reasons).
 */
export function EligibilityCheckSummary({ check, timeZone, waitingHint }: { check: EligibilityCheckView; timeZone: string; waitingHint?: string }) {
  const when = formatDateTime(check.requestedAt, { timeZone });
  return (
    <div className="grid gap-2 text-sm" data-testid="eligibility-check">
      <div className="flex flex-wrap items-center gap-2">
        {check.status === "requested" && <Badge variant="warning">Waiting for the answer</Badge>}
        {check.status === "answered" &&
          (check.active === false ? <Badge variant="destructive">Not active</Badge> : <Badge variant="success">Active coverage</Badge>)}
        {check.status === "failed" && <Badge variant="destructive">Check failed</Badge>}
        <span className="text-muted-foreground">
          Checked {when} by {check.requestedBy}
          {check.answeredAt && `; answered ${formatDateTime(check.answeredAt, { timeZone })}`}
        </span>
      </div>
      {check.sentAt ? (
        <p className="text-muted-foreground" data-testid="eligibility-sent">
          Sent to the clearinghouse at {formatDateTime(check.sentAt, { timeZone })}
        </p>
      ) : (
        check.status === "requested" && (
          <p className="text-muted-foreground" data-testid="eligibility-sent">
            Waiting to be sent
          </p>
        )
      )}
      {!check.sentAt && check.status === "requested" && check.sendError && (
        <p className="break-words text-destructive">The last try to send it failed: {check.sendError}</p>
      )}
      {check.status === "requested" && waitingHint && <p className="text-muted-foreground">{waitingHint}</p>}
      <a href={eligibilityRequestHref(check.id)} className="inline-flex w-fit items-center gap-1 text-primary underline-offset-4 hover:underline" download>
        <Download aria-hidden="true" className="size-4" /> Download the 270 (trace {check.traceNumber})
      </a>
      {check.problems.length > 0 && (
        <ul className="grid list-disc gap-1 pl-5 text-destructive">
          {check.problems.map((problem, index) => (
            <li key={index}>{problem}</li>
          ))}
        </ul>
      )}
      {check.benefits.length > 0 && (
        <details>
          <summary className="cursor-pointer text-primary">What the payer said ({check.benefits.length})</summary>
          <ul className="mt-2 grid gap-1 pl-1">
            {check.benefits.map((benefit, index) => (
              <li key={index} className="break-words">
                {benefit.description}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
