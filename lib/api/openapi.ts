import { z } from "zod";
import { ZCreateInvoiceInput, ZInvoiceView, ZUpdateInvoiceInput } from "@/lib/invoices/invoices.types";
import { ZCreatePatientInput, ZPatientDetailView, ZPatientView } from "@/lib/patients/patients.types";
import { ZCreditNoteView } from "@/lib/credit-notes/credit-notes.types";
import { ZRefundView } from "@/lib/refunds/refunds.types";
import { ZPaymentSummary, ZPaymentView } from "@/lib/payments/payment-view";
import { ZPaymentHoldView } from "@/lib/payments/payment-holds.types";
import {
  ZApplyCreditBody,
  ZSavedCardPrepaymentBody,
  ZRefundPatientCreditBody,
  ZCreditRefundView,
  ZCapturePaymentBody,
  ZErrorBody,
  ZIssueCreditNoteBody,
  ZRequestRefundBody,
  ZListInvoicesQuery,
  ZListPatientsQuery,
  ZListPaymentsQuery,
  ZListPaymentPlansQuery,
  ZListMembershipPlansQuery,
  ZListMembershipsQuery,
  ZPatchMembershipPlanBody,
  ZRecordPaymentBody,
  ZVoidPaymentBody,
  ZMarkUncollectibleBody,
  ZPatchPatientBody,
  ZReopenInvoiceBody,
  ZVoidInvoiceBody,
} from "./api.schemas";
import { ZCreditApplicationView, ZPatientCreditBalance } from "@/lib/patient-credit/patient-credit.types";
import { reportSchemas } from "@/lib/analytics/analytics.schemas";
import { FIGURE_DEFINITIONS } from "@/lib/analytics/figure-definitions";
import { REPORT_NAMES, type ReportName } from "@/lib/analytics/analytics.types";
import { ZAnalyticsQuery } from "@/lib/analytics/analytics-period";
import { ZPaymentMethodView } from "@/lib/cards-on-file/cards-on-file.types";
import { ZAutopaySettingsView, ZPatchAutopaySettingsBody } from "@/lib/autopay/update-autopay-settings";
import { ZCreatePaymentPlanInput } from "@/lib/payment-plans/create-payment-plan";
import { ZChangePlanCardInput, ZRescheduleInstallmentInput } from "@/lib/payment-plans/manage-payment-plan";
import { ZPaymentPlanSummary, ZPaymentPlanView } from "@/lib/payment-plans/payment-plans.types";
import { ZMembershipPlanView, ZMembershipSummary, ZMembershipView } from "@/lib/memberships/memberships.types";
import { ZMembershipPlanInput } from "@/lib/memberships/membership-plans";
import { ZEnrollMembershipInput } from "@/lib/memberships/enroll-membership";
import { ZCancelMembershipInput } from "@/lib/memberships/manage-membership";
import { eligibilityOpenApi } from "./openapi-eligibility";
import { insuranceOpenApi } from "./openapi-insurance";
import { ZClaimBatchView, ZClaimSummaryView, ZClaimView, ZValidateClaimResult, ZVisitView } from "@/lib/claims/claims.schemas";
import {
  ZCloseClaimBody,
  ZCreateClaimBatchBody,
  ZCreateClaimBody,
  ZListClaimBatchesQuery,
  ZListClaimsQuery,
  ZPatchClaimBody,
  ZRecordVisitBody,
} from "./claims-api.schemas";
import { ZVisitInput } from "@/lib/claims/visits";
import { clearinghouseOpenApi } from "./openapi-clearinghouse";
import { remittancesOpenApi } from "./openapi-remittances";

/** The export's query parameters (the same fields ZLedgerExportInput parses). */
const ZLedgerExportQuery = z.object({
  from: z.string().optional().describe("YYYY-MM-DD, inclusive, clinic time zone"),
  to: z.string().optional().describe("YYYY-MM-DD, inclusive, clinic time zone"),
  format: z.enum(["hledger", "csv"]).optional(),
});

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });

function queryParameters(schema: z.ZodObject) {
  const jsonSchema = schemaOf(schema, "input") as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(jsonSchema.properties).map(([name, property]) => ({
    name,
    in: "query",
    required: jsonSchema.required?.includes(name) ?? false,
    schema: property,
    ...(typeof property.description === "string" ? { description: property.description } : {}),
  }));
}

const errors = {
  "401": { description: "Missing, unknown or revoked API key", content: json(ref("Error")) },
  "404": { description: "Not found (including other organizations' ids)", content: json(ref("Error")) },
  "409": { description: "Wrong state, or Idempotency-Key conflict", content: json(ref("Error")) },
  "422": { description: "Validation failed; `fields` names each bad field", content: json(ref("Error")) },
  "400": {
    description: "The body is not valid JSON (or not UTF-8), or the Idempotency-Key is not 1–255 printable ASCII characters",
    content: json(ref("Error")),
  },
  "413": { description: "The body is larger than 1 MB", content: json(ref("Error")) },
  "415": { description: "The body was not sent with Content-Type: application/json", content: json(ref("Error")) },
  default: { description: "Server error (5xx); the body carries a requestId to quote to support", content: json(ref("Error")) },
};
const idParameter = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const paymentMethodIdParameter = {
  name: "pmId",
  in: "path",
  required: true,
  schema: { type: "string", format: "uuid" },
  description: "The card's id in Carebill (not Stripe's)",
};
const idempotencyParameter = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  schema: { type: "string", maxLength: 255 },
  description: "Same key and body within 24 h returns the stored response; another body, or while the first request runs, is a 409.",
};
const page = (item: string) => ({
  type: "object",
  required: ["data", "nextCursor"],
  properties: { data: { type: "array", items: ref(item) }, nextCursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page" } },
});

const REPORT_SUMMARIES: Record<ReportName, string> = {
  summary: "Charges, collections, refunds, fees, dispute losses, collection rates and receivables for a period, with the previous period and a series",
  aging: "Accounts receivable now, by days past the invoice date (0–30, 31–60, 61–90, 91–120, 120+)",
  collections: "Money received by channel, refunds and net collections for a period, with a series",
  payments: "Card payment success rates (first attempt and eventually), decline reasons and 3-D Secure share for a period",
  refunds: "Refunds requested and failed for a period, with a series",
  disputes: "Disputes opened, won and lost, win rate, losses and fees for a period; disputes open now",
  services: "Top services by net charges and by collections for a period",
  recurring:
    "Payment plans, memberships and autopay: plans collecting now and what they owe, plans ended and the default rate, autopay success (per attempt, first attempt, eventually) and recovery for a period, active members, MRR and membership churn",
  insurance:
    "Insurance: A/R by payer and age now, days to pay and denial rate per payer, paid by payers vs patients, contractual adjustments and the net collection rate for a period",
};
const REPORT_CSV_ROWS: Record<ReportName, string> = {
  summary: "one row per bucket (day, week or month) with every period figure",
  aging: "one row per invoice with an amount due now (number, patient, issue date, days, bucket, amount due)",
  collections: "one row per money movement (payment received, manual payment voided, refund, refund failed) with its channel and signed amount",
  payments: "one row per card attempt (created, status, first-attempt success, decline code)",
  refunds: "one row per refund requested in the period",
  disputes: "one row per dispute opened or closed in the period",
  services: "one row per service billed in the period",
  recurring:
    "one row per payment plan that ended in the period (how it ended), one row per membership that ended in it (canceled or defaulted, its plan's price), then one row per autopay charge attempt that reached a result in the period (attempt, result, decline, whether a failed first attempt was recovered)",
  insurance: "one row per claim with an insurance balance now (number, patient, payer, submission date, days, bucket, status, charge, insurance balance)",
};

const REPORT_QUERY_DESCRIPTIONS: Record<string, string> = {
  preset: "The period when from and to are not given (default this_month); periods end today at the latest",
  from: "YYYY-MM-DD, the period's first day (the clinic's calendar, organization time zone); give both from and to",
  to: "YYYY-MM-DD, the period's last day, inclusive; on or after from, at most five years after it",
  granularity: "The series' buckets; by default day up to 62 days, week up to 186, month beyond",
};

/** A report field's description: its figure's definition and formula (figure-definitions.ts, as on the page), else the schema's own words. */
function figureDescription(figure: string, fallback: string): string {
  const definition = (FIGURE_DEFINITIONS as Record<string, { label: string; definition: string; formula: string }>)[figure];
  return definition ? `${definition.label}: ${definition.definition} Formula: ${definition.formula}.` : fallback;
}

const reportSchemaName = (report: ReportName) => `${report[0]!.toUpperCase()}${report.slice(1)}Report`;

/** The report endpoints: the same query, each with its own answer. */
function reportPaths() {
  const parameters = [
    ...queryParameters(ZAnalyticsQuery).map((parameter) => ({ ...parameter, description: REPORT_QUERY_DESCRIPTIONS[parameter.name] })),
    {
      name: "format",
      in: "query",
      required: false,
      schema: { type: "string", enum: ["json", "csv"] },
      description: "csv: the rows behind the figures as a CSV download (also with Accept: text/csv)",
    },
  ];
  return Object.fromEntries(
    REPORT_NAMES.map((report) => [
      `/reports/${report}`,
      {
        get: {
          operationId: `get${reportSchemaName(report)}`,
          tags: ["reports"],
          summary: REPORT_SUMMARIES[report],
          description:
            "Every figure comes from the ledger (journal lines; success rates from the payment attempts; the recurring report from the plans and the autopay charge attempts; the insurance report's A/R, days to pay and denials from the claims and their posted remittances), exactly as the analytics page shows it. " +
            "The period is `preset` (this month by default) or `from`–`to` (both inclusive, the clinic's calendar days, at most five years); " +
            "`previous` figures cover the same number of days just before `from`. Money is in integer minor units of `period.currency`. " +
            `As CSV (\`?format=csv\`): ${REPORT_CSV_ROWS[report]}; amounts as decimals, dates on the clinic's clock. ` +
            "A name other than the reports listed here is answered 422 with `fields.report`.",
          parameters,
          responses: {
            "200": {
              description: "The report",
              content: { ...json(ref(reportSchemaName(report))), "text/csv": { schema: { type: "string" } } },
            },
            "401": errors["401"],
            "422": {
              description: "A bad query (`fields` names each: from, to, preset, granularity, format) or an unknown report (`fields.report`)",
              content: json(ref("Error")),
            },
          },
        },
      },
    ]),
  ) as Record<string, Record<string, Operation>>;
}

type Operation = { parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> };

/**
 * The answers every operation can give besides its own: 400 and 413 wherever a body is read (a
 * JSON body, or any POST that takes an Idempotency-Key), 415 where the body must be JSON, and the
 * 5xx error body.
 */
function withCommonResponses<T extends Record<string, Record<string, Operation>>>(paths: T): T {
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      if (operation.requestBody !== undefined || operation.parameters?.includes(idempotencyParameter)) {
        operation.responses["400"] ??= errors["400"];
        operation.responses["413"] ??= errors["413"];
      }
      if (operation.requestBody !== undefined) operation.responses["415"] ??= errors["415"];
      operation.responses.default ??= errors.default;
    }
  }
  return paths;
}

/** The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the routes parse with. */
export function buildOpenApiDocument(serverUrl: string) {
  const insurance = insuranceOpenApi({ schemaOf, queryParameters, errors, idParameter, idempotencyParameter });
  const eligibility = eligibilityOpenApi({ schemaOf, queryParameters, errors, idParameter, idempotencyParameter });
  const clearinghouse = clearinghouseOpenApi({ schemaOf, queryParameters, errors, idParameter, idempotencyParameter });
  const remittances = remittancesOpenApi({ schemaOf, queryParameters, errors, idParameter, idempotencyParameter });
  return {
    openapi: "3.1.0",
    info: {
      title: "Carebill API",
      version: "1.0.0",
      description:
        "Patients and invoices for integrators (EHR, practice management). JSON in camelCase; money in integer minor units of the invoice's currency. " +
        "Dates and times: instants (createdAt, finalizedAt, …) are ISO 8601 in UTC. Date-only fields (YYYY-MM-DD: an invoice's dueDate, a manual " +
        "payment's receivedOn, a patient's dateOfBirth) are calendar dates on the clinic's calendar, in the organization's time zone (Settings → time " +
        'zone), never shifted to or from UTC: "today" is the clinic\'s today, so at 9 PM in New York a payment received "today" is dated that day ' +
        "even though it is already tomorrow in UTC. Phone numbers are E.164 (+15035550142) when valid.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key created by an admin in Settings → API keys (cb_…)" } },
      schemas: {
        Patient: schemaOf(ZPatientView, "output"),
        PaymentMethod: schemaOf(ZPaymentMethodView, "output"),
        CreatePatient: schemaOf(ZCreatePatientInput, "input"),
        PatchPatient: schemaOf(ZPatchPatientBody, "input"),
        Invoice: schemaOf(ZInvoiceView, "output"),
        CreateInvoice: schemaOf(ZCreateInvoiceInput, "input"),
        UpdateInvoice: schemaOf(ZUpdateInvoiceInput, "input"),
        VoidInvoice: schemaOf(ZVoidInvoiceBody, "input"),
        Error: schemaOf(ZErrorBody, "output"),
        PaymentHold: schemaOf(ZPaymentHoldView, "output"),
        CapturePayment: schemaOf(ZCapturePaymentBody, "input"),
        CreditNote: schemaOf(ZCreditNoteView, "output"),
        IssueCreditNote: schemaOf(ZIssueCreditNoteBody, "input"),
        Refund: schemaOf(ZRefundView, "output"),
        RequestRefund: schemaOf(ZRequestRefundBody, "input"),
        PaymentSummary: schemaOf(ZPaymentSummary, "output"),
        Payment: schemaOf(ZPaymentView, "output"),
        RecordPayment: schemaOf(ZRecordPaymentBody, "input"),
        VoidPayment: schemaOf(ZVoidPaymentBody, "input"),
        MarkUncollectible: schemaOf(ZMarkUncollectibleBody, "input"),
        ReopenInvoice: schemaOf(ZReopenInvoiceBody, "input"),
        ApplyCredit: schemaOf(ZApplyCreditBody, "input"),
        CreditApplication: schemaOf(ZCreditApplicationView, "output"),
        PatientCreditBalance: schemaOf(ZPatientCreditBalance, "output"),
        SavedCardPrepayment: schemaOf(ZSavedCardPrepaymentBody, "input"),
        RefundPatientCredit: schemaOf(ZRefundPatientCreditBody, "input"),
        CreditRefund: schemaOf(ZCreditRefundView, "output"),
        // One closed object (not allOf of the closed Patient and more fields, which nothing could match).
        PatientDetail: schemaOf(ZPatientDetailView, "output"),
        PaymentPlan: schemaOf(ZPaymentPlanView, "output"),
        PaymentPlanSummary: schemaOf(ZPaymentPlanSummary, "output"),
        CreatePaymentPlan: schemaOf(ZCreatePaymentPlanInput, "input"),
        AutopaySettings: schemaOf(ZAutopaySettingsView, "output"),
        PatchAutopaySettings: schemaOf(ZPatchAutopaySettingsBody, "input"),
        RescheduleInstallment: schemaOf(ZRescheduleInstallmentInput, "input"),
        ChangePlanCard: schemaOf(ZChangePlanCardInput, "input"),
        MembershipPlan: schemaOf(ZMembershipPlanView, "output"),
        MembershipPlanInput: schemaOf(ZMembershipPlanInput, "input"),
        PatchMembershipPlan: schemaOf(ZPatchMembershipPlanBody, "input"),
        Membership: schemaOf(ZMembershipView, "output"),
        MembershipSummary: schemaOf(ZMembershipSummary, "output"),
        EnrollMembership: schemaOf(ZEnrollMembershipInput, "input"),
        CancelMembership: schemaOf(ZCancelMembershipInput, "input"),
        ...insurance.schemas,
        Visit: schemaOf(ZVisitView, "output"),
        RecordVisit: schemaOf(ZRecordVisitBody, "input"),
        UpdateVisit: schemaOf(ZVisitInput, "input"),
        Claim: schemaOf(ZClaimView, "output"),
        ClaimSummary: schemaOf(ZClaimSummaryView, "output"),
        CreateClaim: schemaOf(ZCreateClaimBody, "input"),
        PatchClaim: schemaOf(ZPatchClaimBody, "input"),
        CloseClaim: schemaOf(ZCloseClaimBody, "input"),
        ValidateClaimResult: schemaOf(ZValidateClaimResult, "output"),
        ClaimBatch: schemaOf(ZClaimBatchView, "output"),
        CreateClaimBatch: schemaOf(ZCreateClaimBatchBody, "input"),
        ...eligibility.schemas,
        ...clearinghouse.schemas,
        ...remittances.schemas,
        ...Object.fromEntries(
          Object.entries(reportSchemas(figureDescription)).map(([report, schema]) => [reportSchemaName(report as ReportName), schemaOf(schema, "output")]),
        ),
      },
    },
    paths: withCommonResponses({
      ...reportPaths(),
      ...insurance.paths,
      ...claimPaths(),
      ...eligibility.paths,
      ...clearinghouse.paths,
      ...remittances.paths,
      "/autopay-settings": {
        get: {
          operationId: "getAutopaySettings",
          summary: "The clinic's autopay rules: retry days, what a plan becomes after the last failure, reminders, the largest plan, the charge hour",
          responses: {
            "200": { description: "The settings (the defaults until the clinic saves its own)", content: json(ref("AutopaySettings")) },
            "401": errors["401"],
          },
        },
        patch: {
          operationId: "updateAutopaySettings",
          summary: "Change any of the autopay rules (the others stay); audited",
          description:
            "retryDays: 1–3 whole days after the due date, increasing, each 1–30. reminderDaysBefore: 0–14 (0: no reminder). maxPlanAmount: minor units of the clinic's currency, or null for no limit. chargeHour: 0–23 in the clinic's time zone. Retries and the charge hour apply to charges scheduled from then on; reminders and the largest amount to plans created from then on.",
          requestBody: { required: true, content: json(ref("PatchAutopaySettings")) },
          responses: {
            "200": { description: "The settings now", content: json(ref("AutopaySettings")) },
            "401": errors["401"],
            "422": errors["422"],
          },
        },
      },
      "/payment-plans": {
        get: {
          operationId: "listPaymentPlans",
          summary: "List payment plans, newest first",
          parameters: queryParameters(ZListPaymentPlansQuery),
          responses: {
            "200": { description: "A page of payment plans", content: json(page("PaymentPlanSummary")) },
            "401": errors["401"],
            "422": errors["422"],
          },
        },
        post: {
          operationId: "createPaymentPlan",
          summary:
            "Put a patient's open invoices (all, or those named) on a payment plan: an optional down payment charged at once to the card on file, then 1–60 installments weekly, every 2 weeks or monthly, charged off-session on their dates at the clinic's morning. The card must have been saved with the patient's consent.",
          parameters: [idempotencyParameter],
          requestBody: { required: true, content: json(ref("CreatePaymentPlan")) },
          responses: {
            "201": { description: "Created (with the down payment's attempt, if any)", content: json(ref("PaymentPlan")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/payment-plans/{id}": {
        get: {
          operationId: "getPaymentPlan",
          summary: "Get a payment plan with its invoices, schedule and every charge attempt",
          parameters: [idParameter],
          responses: { "200": { description: "The plan", content: json(ref("PaymentPlan")) }, "401": errors["401"], "404": errors["404"] },
        },
      },
      "/payment-plans/{id}/pause": {
        post: {
          operationId: "pausePaymentPlan",
          summary: "Pause a plan: nothing is charged until it is resumed",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "200": { description: "The plan after the change", content: json(ref("PaymentPlan")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
          },
        },
      },
      "/payment-plans/{id}/resume": {
        post: {
          operationId: "resumePaymentPlan",
          summary: "Resume a paused plan; installments that came due meanwhile are charged at the next run",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "200": { description: "The plan after the change", content: json(ref("PaymentPlan")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
          },
        },
      },
      "/payment-plans/{id}/cancel": {
        post: {
          operationId: "cancelPaymentPlan",
          summary: "Cancel a plan: nothing more is charged; its invoices keep their balance",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "200": { description: "The plan after the change", content: json(ref("PaymentPlan")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
          },
        },
      },
      "/payment-plans/{id}/installments/{installmentId}/reschedule": {
        post: {
          operationId: "reschedulePaymentPlanInstallment",
          summary: "Move one scheduled installment (or its pending retry) to another day, today or later on the clinic's calendar",
          parameters: [
            idParameter,
            { name: "installmentId", in: "path", required: true, schema: { type: "string", format: "uuid" }, description: "An installment of this plan" },
            idempotencyParameter,
          ],
          requestBody: { required: true, content: json(ref("RescheduleInstallment")) },
          responses: {
            "200": { description: "The plan after the change", content: json(ref("PaymentPlan")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/payment-plans/{id}/change-card": {
        post: {
          operationId: "changePaymentPlanCard",
          summary: "Charge another of the patient's cards on file (saved with their consent) from the plan's next attempt on",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: true, content: json(ref("ChangePlanCard")) },
          responses: {
            "200": { description: "The plan after the change", content: json(ref("PaymentPlan")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/membership-plans": {
        get: {
          operationId: "listMembershipPlans",
          summary: "List the clinic's membership plans by name, each with its number of live members",
          parameters: queryParameters(ZListMembershipPlansQuery),
          responses: {
            "200": {
              description: "The plans",
              content: json({ type: "object", properties: { data: { type: "array", items: ref("MembershipPlan") } }, required: ["data"] }),
            },
            "401": errors["401"],
            "422": errors["422"],
          },
        },
        post: {
          operationId: "createMembershipPlan",
          summary: "Create a membership plan (a name, a price per period in the clinic's currency, monthly or yearly)",
          parameters: [idempotencyParameter],
          requestBody: { required: true, content: json(ref("MembershipPlanInput")) },
          responses: {
            "201": { description: "Created", content: json(ref("MembershipPlan")) },
            "401": errors["401"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/membership-plans/{id}": {
        get: {
          operationId: "getMembershipPlan",
          summary: "Get a membership plan",
          parameters: [idParameter],
          responses: { "200": { description: "The plan", content: json(ref("MembershipPlan")) }, "401": errors["401"], "404": errors["404"] },
        },
        patch: {
          operationId: "updateMembershipPlan",
          summary: "Change a membership plan; a new price applies to periods invoiced after the change",
          parameters: [idParameter],
          requestBody: { required: true, content: json(ref("PatchMembershipPlan")) },
          responses: {
            "200": { description: "The plan after the change", content: json(ref("MembershipPlan")) },
            "401": errors["401"],
            "404": errors["404"],
            "422": errors["422"],
          },
        },
      },
      "/membership-plans/{id}/archive": {
        post: {
          operationId: "archiveMembershipPlan",
          summary: "Archive a membership plan: it takes no new members; existing memberships go on",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "200": { description: "The plan after the change", content: json(ref("MembershipPlan")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
          },
        },
      },
      "/memberships": {
        get: {
          operationId: "listMemberships",
          summary: "List memberships, newest first",
          parameters: queryParameters(ZListMembershipsQuery),
          responses: {
            "200": { description: "A page of memberships", content: json(page("MembershipSummary")) },
            "401": errors["401"],
            "422": errors["422"],
          },
        },
        post: {
          operationId: "enrollMembership",
          summary:
            "Enroll a patient in a membership plan from a start date (today or later, the clinic's calendar). Each period is invoiced (our numbering) and charged off-session on its start date to the card on file saved with the patient's consent; without one, sendCardLink emails the patient a link to add a card. A start today is invoiced and charged at once.",
          parameters: [idempotencyParameter],
          requestBody: { required: true, content: json(ref("EnrollMembership")) },
          responses: {
            "201": { description: "Enrolled (with the first period when it starts today)", content: json(ref("Membership")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/memberships/{id}": {
        get: {
          operationId: "getMembership",
          summary: "Get a membership with its periods (newest first), their invoices and every charge attempt",
          parameters: [idParameter],
          responses: { "200": { description: "The membership", content: json(ref("Membership")) }, "401": errors["401"], "404": errors["404"] },
        },
      },
      "/memberships/{id}/pause": {
        post: {
          operationId: "pauseMembership",
          summary: "Pause a membership: no period starts while paused",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "200": { description: "The membership after the change", content: json(ref("Membership")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
          },
        },
      },
      "/memberships/{id}/resume": {
        post: {
          operationId: "resumeMembership",
          summary:
            "Resume a paused membership: billing continues at the first period start on or after today; periods that started while paused are not invoiced",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "200": { description: "The membership after the change", content: json(ref("Membership")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
          },
        },
      },
      "/memberships/{id}/cancel": {
        post: {
          operationId: "cancelMembership",
          summary:
            "Cancel a membership at the current period's end (nothing more is invoiced) or now (an unpaid period invoice is voided, pending charges canceled, and refundAmount, at most refundableAmount, refunded to the card)",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: true, content: json(ref("CancelMembership")) },
          responses: {
            "200": { description: "The membership after the change", content: json(ref("Membership")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/payments/{id}/capture": {
        post: {
          operationId: "capturePayment",
          summary: "Capture all (no body) or part of an authorized card payment; the rest of the hold is released",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: false, content: json(ref("CapturePayment")) },
          responses: {
            "200": { description: "Captured", content: json(ref("PaymentHold")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/payments/{id}/release": {
        post: {
          operationId: "releasePayment",
          summary: "Release an authorized card payment without charging it",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "200": { description: "Released", content: json(ref("PaymentHold")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
          },
        },
      },
      "/payments": {
        get: {
          operationId: "listPayments",
          summary: "List payments, newest first",
          parameters: queryParameters(ZListPaymentsQuery),
          responses: { "200": { description: "A page of payments", content: json(page("PaymentSummary")) }, "401": errors["401"], "422": errors["422"] },
        },
        post: {
          operationId: "recordPayment",
          summary: "Record a manual payment (cash, check, card terminal, bank transfer) and apply it to the patient's invoices",
          parameters: [idempotencyParameter],
          requestBody: { required: true, content: json(ref("RecordPayment")) },
          responses: {
            "201": { description: "Recorded", content: json(ref("Payment")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/payments/{id}": {
        get: {
          operationId: "getPayment",
          summary: "Get a payment with its allocations, refunds and disputes",
          parameters: [idParameter],
          responses: { "200": { description: "The payment", content: json(ref("Payment")) }, "401": errors["401"], "404": errors["404"] },
        },
      },
      "/payments/{id}/void": {
        post: {
          operationId: "voidPayment",
          summary: "Void a manual payment recorded by mistake (card payments are refunded instead)",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: true, content: json(ref("VoidPayment")) },
          responses: {
            "200": { description: "Voided", content: json(ref("Payment")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/payments/{id}/receipt": {
        get: {
          operationId: "getPaymentReceipt",
          summary: "A succeeded payment's receipt as a PDF",
          parameters: [idParameter],
          responses: {
            "200": { description: "PDF", content: { "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } } } },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
          },
        },
      },
      "/patients": {
        get: {
          operationId: "listPatients",
          summary: "List and search patients",
          parameters: queryParameters(ZListPatientsQuery),
          responses: { "200": { description: "A page of patients", content: json(page("Patient")) }, "401": errors["401"], "422": errors["422"] },
        },
        post: {
          operationId: "createPatient",
          summary: "Create a patient",
          parameters: [idempotencyParameter],
          requestBody: { required: true, content: json(ref("CreatePatient")) },
          responses: { "201": { description: "Created", content: json(ref("Patient")) }, "401": errors["401"], "409": errors["409"], "422": errors["422"] },
        },
      },
      "/patients/{id}": {
        get: {
          operationId: "getPatient",
          summary: "Get a patient (audited as a view of PHI)",
          parameters: [idParameter],
          responses: {
            "200": { description: "The patient with balances, credit and invoice ids", content: json(ref("PatientDetail")) },
            "401": errors["401"],
            "404": errors["404"],
          },
        },
        patch: {
          operationId: "updatePatient",
          summary: "Update or archive a patient",
          parameters: [idParameter],
          requestBody: { required: true, content: json(ref("PatchPatient")) },
          responses: {
            "200": { description: "Updated", content: json(ref("Patient")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/patients/{id}/payment-methods": {
        get: {
          operationId: "listPatientPaymentMethods",
          summary: "A patient's cards on file (brand, last 4, expiry, default, source, consent), default first",
          parameters: [idParameter],
          responses: {
            "200": {
              description: "The cards",
              content: json({ type: "object", required: ["data"], properties: { data: { type: "array", items: ref("PaymentMethod") } } }),
            },
            "401": errors["401"],
            "404": errors["404"],
          },
        },
      },
      "/patients/{id}/prepayments": {
        post: {
          operationId: "chargeSavedCardPrepayment",
          summary: "Collect an estimate from the patient's saved card as a prepayment kept as their credit",
          description:
            "Charges a card on file (one with the patient's recorded consent to be charged without them present) for no invoice. When it succeeds the whole amount becomes the patient's credit, which the patient-share invoice a remittance bills takes when it is finalized; what is left stays as credit (POST /patients/{id}/credit-refunds gives it back). A decline is an outcome: 201 with status `failed` and its reason. Cash, check and terminal prepayments: POST /payments with `prepayment: true`.",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: true, content: json(ref("SavedCardPrepayment")) },
          responses: {
            "201": { description: "The payment (succeeded, processing or failed)", content: json(ref("Payment")) },
            "401": errors["401"],
            "404": errors["404"],
            "422": errors["422"],
            "503": { description: "Stripe could not be reached; nothing was charged", content: json(ref("Error")) },
          },
        },
      },
      "/patients/{id}/credit-refunds": {
        post: {
          operationId: "refundPatientCredit",
          summary: "Give back unused credit one of the patient's payments made (a prepayment, or an overpayment kept as credit)",
          description:
            "A card payment's credit goes back to its card through Stripe (pending until Stripe settles it). A front-desk payment's (cash, check, card terminal, bank transfer) is recorded as handed back: journal Dr patient credit, Cr cash / bank / card terminal clearing. Never more than what is left of that payment's credit and not yet spent on invoices (422 on `amount`); nothing left: 409.",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: true, content: json(ref("RefundPatientCredit")) },
          responses: {
            "201": { description: "Refunded (card: pending until Stripe settles it)", content: json(ref("CreditRefund")) },
            "202": { description: "Booked, but Stripe could not be reached: sent again later", content: json(ref("CreditRefund")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": { description: "None of that payment's credit is left, the payment is disputed, or Stripe refused the refund", content: json(ref("Error")) },
            "422": errors["422"],
          },
        },
      },
      "/patients/{id}/payment-methods/{pmId}": {
        delete: {
          operationId: "removePatientPaymentMethod",
          summary: "Remove a card on file: detached in Stripe, never charged again (its consent stays on record)",
          parameters: [idParameter, paymentMethodIdParameter],
          responses: { "204": { description: "Removed" }, "401": errors["401"], "404": errors["404"] },
        },
      },
      "/patients/{id}/payment-methods/{pmId}/default": {
        post: {
          operationId: "setDefaultPatientPaymentMethod",
          summary: "Make a card on file the patient's default (what plans and memberships charge)",
          parameters: [idParameter, paymentMethodIdParameter, idempotencyParameter],
          responses: {
            "200": {
              description: "The patient's cards, the new default first",
              content: json({ type: "object", required: ["data"], properties: { data: { type: "array", items: ref("PaymentMethod") } } }),
            },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
          },
        },
      },
      "/invoices": {
        get: {
          operationId: "listInvoices",
          summary: "List invoices",
          parameters: queryParameters(ZListInvoicesQuery),
          responses: { "200": { description: "A page of invoices", content: json(page("Invoice")) }, "401": errors["401"], "422": errors["422"] },
        },
        post: {
          operationId: "createInvoice",
          summary: "Create a draft invoice",
          parameters: [idempotencyParameter],
          requestBody: { required: true, content: json(ref("CreateInvoice")) },
          responses: { "201": { description: "Created", content: json(ref("Invoice")) }, "401": errors["401"], "409": errors["409"], "422": errors["422"] },
        },
      },
      "/invoices/{id}": {
        get: {
          operationId: "getInvoice",
          summary: "Get an invoice",
          parameters: [idParameter],
          responses: { "200": { description: "The invoice", content: json(ref("Invoice")) }, "401": errors["401"], "404": errors["404"] },
        },
        patch: {
          operationId: "updateInvoice",
          summary: "Update a draft invoice",
          parameters: [idParameter],
          requestBody: { required: true, content: json(ref("UpdateInvoice")) },
          responses: {
            "200": { description: "Updated", content: json(ref("Invoice")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
        delete: {
          operationId: "deleteDraftInvoice",
          summary: "Delete a draft that was never finalized",
          description:
            "Only a draft without a number and with nothing attached (payments, pay links, emails, credit notes). A finalized invoice keeps its number and is voided instead: 409.",
          parameters: [idParameter],
          responses: {
            "204": { description: "Deleted" },
            "401": errors["401"],
            "404": errors["404"],
            "409": { description: "Not a draft (finalized invoices are voided, never deleted), or something is attached to it", content: json(ref("Error")) },
          },
        },
      },
      "/invoices/{id}/finalize": {
        post: {
          operationId: "finalizeInvoice",
          summary: "Finalize a draft: number it, open it and post its journal",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "200": { description: "Finalized", content: json(ref("Invoice")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/invoices/{id}/send": {
        post: {
          operationId: "sendInvoice",
          summary: "Email the invoice (PDF attached) to the patient",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "200": { description: "Queued for delivery", content: json(ref("Invoice")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/invoices/{id}/void": {
        post: {
          operationId: "voidInvoice",
          summary: "Void an open invoice without payments",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: true, content: json(ref("VoidInvoice")) },
          responses: {
            "200": { description: "Voided", content: json(ref("Invoice")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/invoices/{id}/mark-uncollectible": {
        post: {
          operationId: "markInvoiceUncollectible",
          summary: "Write off what is left of an open or partly paid invoice as bad debt",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: true, content: json(ref("MarkUncollectible")) },
          responses: {
            "200": { description: "Written off", content: json(ref("Invoice")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/invoices/{id}/reopen": {
        post: {
          operationId: "reopenInvoice",
          summary: "Reverse an invoice's write-off: the written-off balance is due again",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: true, content: json(ref("ReopenInvoice")) },
          responses: {
            "200": { description: "Reopened", content: json(ref("Invoice")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/invoices/{id}/apply-credit": {
        post: {
          operationId: "applyPatientCredit",
          summary: "Pay an open invoice from its patient's credit in the invoice's currency",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: false, content: json(ref("ApplyCredit")) },
          responses: {
            "201": {
              description: "Applied",
              content: json({
                type: "object",
                required: ["application", "invoice", "creditRemaining"],
                properties: {
                  application: ref("CreditApplication"),
                  invoice: ref("Invoice"),
                  creditRemaining: { type: "integer", description: "The patient's credit left in this currency" },
                },
              }),
            },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/invoices/{id}/payment-link": {
        post: {
          operationId: "createPaymentLink",
          summary: "Create a pay link for an open invoice (earlier links stop working)",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "201": {
              description: "The link",
              content: json({
                type: "object",
                required: ["url", "expiresAt"],
                properties: { url: { type: "string", format: "uri" }, expiresAt: { type: "string", format: "date-time" } },
              }),
            },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
          },
        },
      },
      "/ledger/export": {
        get: {
          operationId: "exportLedger",
          summary: "The journals for a date range, as an hledger/ledger-cli journal or CSV (streamed)",
          parameters: queryParameters(ZLedgerExportQuery),
          responses: {
            "200": { description: "The export", content: { "text/plain": { schema: { type: "string" } }, "text/csv": { schema: { type: "string" } } } },
            "401": errors["401"],
            "422": errors["422"],
          },
        },
      },
      "/invoices/{id}/credit-notes": {
        get: {
          operationId: "listCreditNotes",
          summary: "An invoice's credit notes, oldest first",
          parameters: [idParameter],
          responses: {
            "200": {
              description: "The credit notes",
              content: json({ type: "object", required: ["data"], properties: { data: { type: "array", items: ref("CreditNote") } } }),
            },
            "401": errors["401"],
            "404": errors["404"],
          },
        },
        post: {
          operationId: "issueCreditNote",
          summary: "Issue a credit note: reduce what an open invoice asks for, or turn part of what was paid into patient credit",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: true, content: json(ref("IssueCreditNote")) },
          responses: {
            "201": { description: "Issued (CN-00001…)", content: json(ref("CreditNote")) },
            "401": errors["401"],
            "404": errors["404"],
            "409": errors["409"],
            "422": errors["422"],
          },
        },
      },
      "/credit-notes/{id}/pdf": {
        get: {
          operationId: "getCreditNotePdf",
          summary: "A credit note as a PDF",
          parameters: [idParameter],
          responses: {
            "200": { description: "PDF", content: { "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } } } },
            "401": errors["401"],
            "404": errors["404"],
          },
        },
      },
      "/payments/{id}/refunds": {
        get: {
          operationId: "listRefunds",
          summary: "A payment's refunds, newest first",
          parameters: [idParameter],
          responses: {
            "200": {
              description: "The refunds",
              content: json({ type: "object", required: ["data"], properties: { data: { type: "array", items: ref("Refund") } } }),
            },
            "401": errors["401"],
            "404": errors["404"],
          },
        },
        post: {
          operationId: "refundPayment",
          summary: "Refund all or part of a card payment through Stripe",
          description:
            "The refund is booked at once and settles when Stripe confirms it (status pending → succeeded, or failed with the books restored). Manual payments are voided instead (409); disputed payments cannot be refunded (409).",
          parameters: [idParameter, idempotencyParameter],
          requestBody: { required: true, content: json(ref("RequestRefund")) },
          responses: {
            "201": { description: "Refund requested (pending until Stripe settles it)", content: json(ref("Refund")) },
            "202": {
              description: "Booked, but Stripe could not be reached: pending until staff send it again from the payment page",
              content: json(ref("Refund")),
            },
            "401": errors["401"],
            "404": errors["404"],
            "409": {
              description: "Not refundable (manual or disputed payment, nothing left), or Stripe refused it (the refund is canceled and nothing changed)",
              content: json(ref("Error")),
            },
            "422": errors["422"],
          },
        },
      },
      "/invoices/{id}/pdf": {
        get: {
          operationId: "getInvoicePdf",
          summary: "The invoice as a PDF",
          parameters: [idParameter],
          responses: {
            "200": { description: "PDF", content: { "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } } } },
            "401": errors["401"],
            "404": errors["404"],
          },
        },
      },
    }),
  };
}

/** Visits, claims and 837P claim batches (issue 18, part 1). */
function claimPaths() {
  const claimResponse = (description: string, status = "200") => ({
    [status]: { description, content: json(ref("Claim")) },
    "401": errors["401"],
    "404": errors["404"],
    "409": errors["409"],
  });
  return {
    "/visits": {
      post: {
        operationId: "recordVisit",
        summary: "Record a patient's visit: diagnoses (ICD-10-CM, 1–12, dot optional) and 1–50 service lines (CPT/HCPCS, modifiers, units, charge, pointers)",
        description:
          "Refused with the field named: a service date after the clinic's today, a pointer to no diagnosis, more than 50 lines, a malformed code, another clinic's or an archived rendering provider.",
        parameters: [idempotencyParameter],
        requestBody: { required: true, content: json(ref("RecordVisit")) },
        responses: { "201": { description: "Recorded", content: json(ref("Visit")) }, "401": errors["401"], "404": errors["404"], "422": errors["422"] },
      },
    },
    "/visits/{id}": {
      get: {
        operationId: "getVisit",
        summary: "A visit with its charges and its claims",
        parameters: [idParameter],
        responses: { "200": { description: "The visit", content: json(ref("Visit")) }, "401": errors["401"], "404": errors["404"] },
      },
      patch: {
        operationId: "updateVisit",
        summary: "Replace a visit's fields and charges, while no claim other than a draft or closed one uses it (else 409)",
        parameters: [idParameter],
        requestBody: { required: true, content: json(ref("UpdateVisit")) },
        responses: {
          "200": { description: "The visit after the change", content: json(ref("Visit")) },
          "401": errors["401"],
          "404": errors["404"],
          "409": errors["409"],
          "422": errors["422"],
        },
      },
    },
    "/claims": {
      get: {
        operationId: "listClaims",
        summary: "List claims, newest first, by state, payer, age (days since the first date of service), amount, patient, or number/patient name",
        parameters: queryParameters(ZListClaimsQuery),
        responses: { "200": { description: "A page of claims", content: json(page("ClaimSummary")) }, "401": errors["401"], "422": errors["422"] },
      },
      post: {
        operationId: "createClaim",
        summary: "Create a draft claim from a visit, to the coverage given or the patient's primary coverage in force on the service date",
        description:
          "The claim number (CLM01, CLM-000123) is gapless per clinic. The claim's rendering provider (2310B) is the visit's, else the one most lines name (a tie: the first line's); a line rendered by someone else keeps its own (lines[].renderingProviderId, loop 2420A). Refused: no coverage in force (422 coverageId), a line after the coverage ended (422), a live claim for the same visit and coverage (409).",
        parameters: [idempotencyParameter],
        requestBody: { required: true, content: json(ref("CreateClaim")) },
        responses: { ...claimResponse("Created (draft)", "201"), "422": errors["422"] },
      },
    },
    "/claims/{id}": {
      get: {
        operationId: "getClaim",
        summary: "A claim with its lines, diagnoses, problems, rejection reasons, batches and history (events, oldest first)",
        parameters: [idParameter],
        responses: { "200": { description: "The claim", content: json(ref("Claim")) }, "401": errors["401"], "404": errors["404"] },
      },
      patch: {
        operationId: "updateClaim",
        summary: "Edit a draft, ready or rejected claim (diagnoses, lines, place of service, rendering provider, payer claim number); it goes back to draft",
        description:
          "A line's renderingProviderId names who rendered it when that is not the claim's rendering provider (loop 2420A); left out, null or the claim's own provider: the claim's. Each provider must be one of the clinic's and not archived (unless it is already on this claim), else 422 on the field (renderingProviderId, lines.N.renderingProviderId).",
        parameters: [idParameter],
        requestBody: { required: true, content: json(ref("PatchClaim")) },
        responses: { ...claimResponse("The claim after the change"), "422": errors["422"] },
      },
    },
    "/claims/{id}/validate": {
      post: {
        operationId: "validateClaim",
        summary: "Check a claim against the 837P rules: no problem → a draft becomes ready; problems (in words, with field paths) → it stays draft",
        parameters: [idParameter, idempotencyParameter],
        responses: {
          "200": { description: "The claim and its problems (empty when ready)", content: json(ref("ValidateClaimResult")) },
          "401": errors["401"],
          "404": errors["404"],
          "409": errors["409"],
        },
      },
    },
    "/claims/{id}/correct": {
      post: {
        operationId: "correctClaim",
        summary: "Start a corrected claim (frequency 7) for an accepted claim with a payer claim number; the original closes when the payer accepts it",
        parameters: [idParameter, idempotencyParameter],
        responses: claimResponse("The corrected claim (draft)", "201"),
      },
    },
    "/claims/{id}/secondary-claim": {
      post: {
        operationId: "createSecondaryClaim",
        summary:
          "Create the claim to the patient's next payer (secondary after the primary, tertiary after the secondary) once this claim's remittance is posted: a draft carrying the payer's payment and adjustments (2320/2430)",
        parameters: [idParameter, idempotencyParameter],
        responses: {
          ...claimResponse("The secondary claim (draft), its priorClaim this claim", "201"),
          "409": { description: "This claim's remittance is not posted yet, or a claim to the next payer already carries it", content: json(ref("Error")) },
          "422": { description: "The patient has no coverage of the next priority in force on the first date of service", content: json(ref("Error")) },
        },
      },
    },
    "/claims/{id}/void": {
      post: {
        operationId: "voidClaim",
        summary: "Start a void claim (frequency 8) for an accepted claim with a payer claim number; the original closes when the payer accepts it",
        parameters: [idParameter, idempotencyParameter],
        responses: claimResponse("The void claim (draft)", "201"),
      },
    },
    "/claims/{id}/close": {
      post: {
        operationId: "closeClaim",
        summary: "Close a claim (not while submitted), with the reason in its history",
        parameters: [idParameter, idempotencyParameter],
        requestBody: { required: true, content: json(ref("CloseClaim")) },
        responses: { ...claimResponse("The closed claim"), "422": errors["422"] },
      },
    },
    "/claim-batches": {
      get: {
        operationId: "listClaimBatches",
        summary: "837P files written, newest first",
        parameters: queryParameters(ZListClaimBatchesQuery),
        responses: {
          "200": {
            description: "The batches",
            content: json({ type: "object", required: ["data"], properties: { data: { type: "array", items: ref("ClaimBatch") } } }),
          },
          "401": errors["401"],
          "422": errors["422"],
        },
      },
      post: {
        operationId: "submitClaims",
        summary: "Write ready claims into one X12 005010X222A1 837P file (download, or queued for SFTP); each claim becomes submitted",
        description:
          "One transaction: the claims are validated again, ISA13/GS06/ST02 come from the clinic's gapless counters, and the file is checked against the 837P loop map before it is stored. A claim that is not ready is a 409; problems found again are a 422 per claimIds.N; nothing is written then.",
        parameters: [idempotencyParameter],
        requestBody: { required: true, content: json(ref("CreateClaimBatch")) },
        responses: {
          "201": { description: "The batch", content: json(ref("ClaimBatch")) },
          "401": errors["401"],
          "404": errors["404"],
          "409": errors["409"],
          "422": errors["422"],
        },
      },
    },
    "/claim-batches/{id}": {
      get: {
        operationId: "getClaimBatch",
        summary: "An 837P batch: control numbers, claims, total, channel, when it was sent and the 999's verdict",
        parameters: [idParameter],
        responses: { "200": { description: "The batch", content: json(ref("ClaimBatch")) }, "401": errors["401"], "404": errors["404"] },
      },
    },
    "/claim-batches/{id}/file": {
      get: {
        operationId: "getClaimBatchFile",
        summary: "The batch's 837P file (X12 text); audited",
        parameters: [idParameter],
        responses: {
          "200": { description: "X12 837P", content: { "text/plain": { schema: { type: "string" } } } },
          "401": errors["401"],
          "404": errors["404"],
        },
      },
    },
  };
}
