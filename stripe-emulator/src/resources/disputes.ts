import type Stripe from "stripe";
import { emitEvent, nowSeconds, type Context } from "../context";
import { disputeFee } from "../currencies";
import { invalidRequest, resourceMissing, unknownParam } from "../errors";
import type { FormObject } from "../form";
import { newId } from "../ids";
import { allowOnly, applyMetadata, expandPaths, optionalBoolean, optionalObject, optionalString } from "../params";
import { expand, idOf, paginate, present } from "../render";
import { param, route, type Route } from "../router";
import { recordBalanceTransaction } from "./balance-transactions";

const SEVEN_DAYS = 7 * 24 * 60 * 60;

const TEXT_EVIDENCE = [
  "access_activity_log",
  "billing_address",
  "cancellation_policy",
  "cancellation_policy_disclosure",
  "cancellation_rebuttal",
  "customer_communication",
  "customer_email_address",
  "customer_name",
  "customer_purchase_ip",
  "customer_signature",
  "duplicate_charge_documentation",
  "duplicate_charge_explanation",
  "duplicate_charge_id",
  "product_description",
  "receipt",
  "refund_policy",
  "refund_policy_disclosure",
  "refund_refusal_explanation",
  "service_date",
  "service_documentation",
  "shipping_address",
  "shipping_carrier",
  "shipping_date",
  "shipping_documentation",
  "shipping_tracking_number",
  "uncategorized_file",
  "uncategorized_text",
] as const;

type EvidenceField = (typeof TEXT_EVIDENCE)[number];

function emptyEvidence(): Stripe.Dispute.Evidence {
  const evidence = { enhanced_evidence: {} } as Record<string, unknown>;
  for (const field of TEXT_EVIDENCE) evidence[field] = null;
  return evidence as unknown as Stripe.Dispute.Evidence; // every field of Evidence is set just above
}

const CLOSED: readonly string[] = ["won", "lost", "warning_closed"];

export function getDisputeOrThrow(ctx: Context, id: string): Stripe.Dispute {
  const dispute = ctx.account.disputes[id];
  if (!dispute) throw resourceMissing(id);
  return dispute;
}

/**
 * Opens a dispute on a captured charge. A chargeback withdraws the amount plus the dispute
 * fee; an inquiry (`warning_needs_response`) moves no money.
 */
export function openDispute(ctx: Context, chargeId: string, inquiry: boolean): Stripe.Dispute {
  const charge = ctx.account.charges[chargeId];
  if (!charge) throw resourceMissing(chargeId, "charge");
  if (!charge.captured) throw invalidRequest(`Charge ${chargeId} has not been captured and cannot be disputed.`, "charge");
  if (Object.values(ctx.account.disputes).some((dispute) => dispute.charge === chargeId)) {
    throw invalidRequest(`Charge ${chargeId} already has a dispute.`, "charge", "charge_already_disputed");
  }
  const id = newId("dp");
  const created = nowSeconds(ctx);
  const amount = charge.amount_captured;
  const balanceTransactions: Stripe.BalanceTransaction[] = [];
  if (!inquiry) {
    balanceTransactions.push(
      recordBalanceTransaction(ctx, {
        amount: -amount,
        currency: charge.currency,
        fee: disputeFee(charge.currency),
        feeDescription: "Dispute fee",
        type: "adjustment",
        reportingCategory: "dispute",
        source: id,
        description: `Chargeback withdrawal for ${charge.id}`,
      }),
    );
  }
  const card = charge.payment_method_details?.card;
  const dispute: Stripe.Dispute = {
    id,
    object: "dispute",
    amount,
    balance_transactions: balanceTransactions,
    charge: charge.id,
    created,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: created + SEVEN_DAYS,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: "not_submitted",
    },
    intended_submission_method: null,
    is_charge_refundable: inquiry,
    livemode: false,
    metadata: {},
    payment_intent: idOf(charge.payment_intent),
    payment_method_details: {
      card: {
        brand: card?.brand ?? "visa",
        case_type: inquiry ? "inquiry" : "chargeback",
        network: card?.network ?? "visa",
        network_reason_code: inquiry ? "10.4" : "83",
      },
      type: "card",
    },
    reason: inquiry ? "general" : "fraudulent",
    status: inquiry ? "warning_needs_response" : "needs_response",
  };
  ctx.account.disputes[id] = dispute;
  const previous = { disputed: false };
  charge.disputed = true;
  emitEvent(ctx, "charge.dispute.created", present(ctx, dispute));
  if (!inquiry) emitEvent(ctx, "charge.dispute.funds_withdrawn", present(ctx, dispute));
  emitEvent(ctx, "charge.updated", present(ctx, charge), previous);
  return dispute;
}

/** Ends a dispute: `won` reinstates the funds and fee, `lost` keeps them withdrawn. */
export function closeDispute(ctx: Context, dispute: Stripe.Dispute, outcome: "won" | "lost"): void {
  if (CLOSED.includes(dispute.status)) throw invalidRequest(`This dispute is already closed (${dispute.status}).`, undefined, "dispute_already_closed");
  const previous = { status: dispute.status };
  const inquiry = dispute.status.startsWith("warning_");
  dispute.status = inquiry ? "warning_closed" : outcome;
  dispute.is_charge_refundable = false;
  if (!inquiry && outcome === "won") {
    dispute.balance_transactions.push(
      recordBalanceTransaction(ctx, {
        amount: dispute.amount,
        currency: dispute.currency,
        fee: -disputeFee(dispute.currency),
        feeDescription: "Dispute fee refund",
        type: "adjustment",
        reportingCategory: "dispute_reversal",
        source: dispute.id,
        description: `Chargeback reversal for ${idOf(dispute.charge)}`,
      }),
    );
    emitEvent(ctx, "charge.dispute.funds_reinstated", present(ctx, dispute));
  }
  emitEvent(ctx, "charge.dispute.closed", present(ctx, dispute), previous);
}

function updateDispute(ctx: Context, params: FormObject, id: string) {
  allowOnly(params, ["evidence", "metadata", "submit", "intended_submission_method"]);
  const dispute = getDisputeOrThrow(ctx, id);
  if (CLOSED.includes(dispute.status)) throw invalidRequest(`This dispute is already closed (${dispute.status}).`, undefined, "dispute_already_closed");
  const before = present(ctx, dispute);
  const evidence = optionalObject(params, "evidence");
  if (evidence) {
    for (const key of Object.keys(evidence)) {
      if (key === "enhanced_evidence") continue;
      if (!(TEXT_EVIDENCE as readonly string[]).includes(key)) throw unknownParam(`evidence[${key}]`);
      const value = optionalString(evidence, key);
      dispute.evidence[key as EvidenceField] = value === "" ? null : (value ?? null);
    }
    dispute.evidence_details.has_evidence = TEXT_EVIDENCE.some((field) => dispute.evidence[field] !== null);
  }
  dispute.metadata = applyMetadata(dispute.metadata, params);
  const submit = optionalBoolean(params, "submit") ?? true;
  if (submit) {
    if (dispute.status === "needs_response") dispute.status = "under_review";
    if (dispute.status === "warning_needs_response") dispute.status = "warning_under_review";
    dispute.evidence_details.submission_count += 1;
    dispute.evidence_details.submission_method = "manual";
  }
  const after = present(ctx, dispute);
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) previous[key] = before[key];
  }
  emitEvent(ctx, "charge.dispute.updated", after, previous);
  return { body: expand(ctx, after, expandPaths(params)) };
}

export const disputeRoutes: Route[] = [
  route("GET", "/v1/disputes", (ctx, params) => {
    allowOnly(params, ["limit", "starting_after", "ending_before", "created", "charge", "payment_intent"]);
    const charge = optionalString(params, "charge");
    const paymentIntent = optionalString(params, "payment_intent");
    const items = Object.values(ctx.account.disputes).filter(
      (dispute) => (charge === undefined || dispute.charge === charge) && (paymentIntent === undefined || dispute.payment_intent === paymentIntent),
    );
    return { body: expand(ctx, paginate(ctx, items, params, "/v1/disputes"), expandPaths(params)) };
  }),
  route("GET", "/v1/disputes/:id", (ctx, params, path) => {
    allowOnly(params, []);
    return { body: expand(ctx, present(ctx, getDisputeOrThrow(ctx, param(path, 0))), expandPaths(params)) };
  }),
  route("POST", "/v1/disputes/:id", (ctx, params, path) => updateDispute(ctx, params, param(path, 0))),
  route("POST", "/v1/disputes/:id/close", (ctx, params, path) => {
    allowOnly(params, []);
    const dispute = getDisputeOrThrow(ctx, param(path, 0));
    closeDispute(ctx, dispute, "lost");
    return { body: expand(ctx, present(ctx, dispute), expandPaths(params)) };
  }),
];
