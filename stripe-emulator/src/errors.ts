/** Stripe's error envelope: `{ error: { type, code, message, param, ... } }`. */
export type StripeErrorType = "api_error" | "card_error" | "idempotency_error" | "invalid_request_error";

export type StripeErrorBody = {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  request_log_url?: string;
  charge?: string;
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
  payment_method_type?: string;
};

/** Thrown by handlers; the server turns it into Stripe's JSON error response. */
export class StripeApiError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;

  constructor(status: number, body: StripeErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body.code && !body.doc_url ? { ...body, doc_url: `https://stripe.com/docs/error-codes/${body.code.replace(/_/g, "-")}` } : body;
  }
}

export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, { type: "invalid_request_error", message, ...(param ? { param } : {}), ...(code ? { code } : {}) });
}

export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, param, "parameter_missing");
}

export function unknownParam(param: string): StripeApiError {
  return invalidRequest(`Received unknown parameter: ${param}`, param, "parameter_unknown");
}

const NOUNS: Record<string, string> = {
  cus: "customer",
  pm: "payment_method",
  seti: "setup_intent",
  pi: "payment_intent",
  ch: "charge",
  re: "refund",
  txn: "balance transaction",
  dp: "dispute",
  evt: "event",
};

/**
 * `resource_missing`, worded as Stripe words it: "No such customer: 'cus_x'". A missing
 * object named in the URL is a 404 (`param` is the path parameter's name: `id`, or `intent`
 * for PaymentIntents); one named by a body parameter is a 400 with that parameter.
 */
export function resourceMissing(id: string, param = "id", inPath = param === "id"): StripeApiError {
  const prefix = id.split("_")[0] ?? "";
  const noun = NOUNS[prefix] ?? "object";
  return new StripeApiError(inPath ? 404 : 400, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${noun}: '${id}'`,
    param,
  });
}

export function unexpectedState(message: string): StripeApiError {
  return invalidRequest(message, undefined, "payment_intent_unexpected_state");
}

export function authenticationError(message: string): StripeApiError {
  return new StripeApiError(401, { type: "invalid_request_error", message });
}
