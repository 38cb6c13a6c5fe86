import { z } from "zod";
import { ZEligibilityCheckInput } from "@/lib/insurance/eligibility";
import { ZEligibilityCheckView } from "@/lib/insurance/insurance-api.schemas";
import type { OpenApiTools } from "./openapi-insurance";

type JsonSchema = Record<string, unknown>;
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });

/** The answer of POST /coverages/{id}/eligibility: the check and its 270 file. */
export const ZEligibilityCheckCreated = z.object({
  check: ZEligibilityCheckView,
  request: z.object({
    fileName: z.string().describe("270-EC000000042.x12"),
    content: z.string().describe("The 270 (005010X279A1) as X12 text: send it to the clearinghouse, or let the SFTP job do it"),
  }),
});

/** Insurance part 1, section D: eligibility (270 out, 271 in through the clearinghouse import) and the CMS-1500 of a claim. */
export function eligibilityOpenApi(tools: OpenApiTools): { schemas: Record<string, JsonSchema>; paths: Record<string, Record<string, Operation>> } {
  const { schemaOf, errors, idParameter, idempotencyParameter } = tools;
  const schemas = {
    EligibilityCheck: schemaOf(ZEligibilityCheckView, "output"),
    EligibilityCheckInput: schemaOf(ZEligibilityCheckInput, "input"),
    EligibilityCheckCreated: schemaOf(ZEligibilityCheckCreated, "output"),
  };
  const paths: Record<string, Record<string, Operation>> = {
    "/coverages/{id}/eligibility": {
      get: {
        operationId: "listEligibilityChecks",
        summary:
          "A coverage's eligibility checks, newest first: status (requested, answered, failed), whether coverage is active, benefits and problems in words",
        parameters: [idParameter],
        responses: {
          "200": {
            description: "The checks",
            content: json({ type: "object", required: ["data"], properties: { data: { type: "array", items: ref("EligibilityCheck") } } }),
          },
          "401": errors["401"],
          "404": errors["404"],
        },
      },
      post: {
        operationId: "requestEligibilityCheck",
        summary: "Check a coverage's eligibility: writes a 270 (005010X279A1) for the subscriber, or the dependent when the patient is not the subscriber",
        description:
          "The body is optional (service type 30, health benefit plan coverage, when left out). The 270's interchange control number continues the clinic's 837 sequence; its trace number (BHT03 and TRN02) matches the payer's 271 back to this check when the 271 is imported (POST /clearinghouse/files). An answered 271 writes the benefits into the coverage (source eligibility: office co-pay, coinsurance, deductible and out-of-pocket with met = maximum − remaining). Needs the practice profile (NPI, EIN) and the clearinghouse settings: 422 names what is missing. On an SFTP connection Carebill sends the 270 itself (sentAt is set when it is in the clearinghouse's inbox) and imports the 271; on a manual connection the file in this answer is the one to send, and the check is marked sent (sentAt).",
        parameters: [idParameter, idempotencyParameter],
        requestBody: { required: false, content: json(ref("EligibilityCheckInput")) },
        responses: {
          "201": { description: "The check (requested) and its 270 file", content: json(ref("EligibilityCheckCreated")) },
          "401": errors["401"],
          "404": errors["404"],
          "409": { description: "The coverage is archived", content: json(ref("Error")) },
          "422": errors["422"],
        },
      },
    },
    "/eligibility-checks/{id}/request": {
      get: {
        operationId: "getEligibilityRequestFile",
        summary: "The 270 file of an eligibility check, as written",
        description:
          "On a manual connection the first download marks the check sent (sentAt); on an SFTP connection Carebill sends it and a download changes nothing.",
        parameters: [idParameter],
        responses: {
          "200": { description: "X12 text (attachment)", content: { "text/plain": { schema: { type: "string" } } } },
          "401": errors["401"],
          "404": errors["404"],
        },
      },
    },
    "/claims/{id}/cms1500": {
      get: {
        operationId: "getClaimCms1500",
        summary: "A claim as a CMS-1500 (02/12) form in PDF, for payers that take paper: boxes 1–33, six service lines per form (audited)",
        parameters: [idParameter],
        responses: {
          "200": { description: "PDF", content: { "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } } } },
          "401": errors["401"],
          "404": errors["404"],
        },
      },
    },
  };
  return { schemas, paths };
}
