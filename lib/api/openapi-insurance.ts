import type { z } from "zod";
import { ZCoverageBenefitsInput } from "@/lib/insurance/coverage-benefits";
import { ZCoverageInput } from "@/lib/insurance/coverages";
import {
  ZCoverageRevisionView,
  ZCoverageView,
  ZListCoveragesQuery,
  ZListPayersQuery,
  ZListRenderingProvidersQuery,
  ZPatchCoverageBody,
  ZPatchPayerBody,
  ZPatchRenderingProviderBody,
  ZPayerView,
  ZPracticeProfileView,
  ZRenderingProviderView,
} from "@/lib/insurance/insurance-api.schemas";
import { ZPayerInput } from "@/lib/insurance/payers";
import { ZPracticeProfileInput } from "@/lib/insurance/practice-profile";
import { ZRenderingProviderInput } from "@/lib/insurance/rendering-providers";

type JsonSchema = Record<string, unknown>;
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};

/** What openapi.ts lends this module, so both build the document the same way. */
export type OpenApiTools = {
  schemaOf: (schema: z.ZodType, io: "input" | "output") => JsonSchema;
  queryParameters: (schema: z.ZodObject) => unknown[];
  errors: Record<"401" | "404" | "409" | "422", unknown>;
  idParameter: unknown;
  idempotencyParameter: unknown;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });
const list = (item: string) => json({ type: "object", required: ["data"], properties: { data: { type: "array", items: ref(item) } } });

/** Insurance part 1, section A: the practice, rendering providers, payers, coverages and their benefits and history. */
export function insuranceOpenApi(tools: OpenApiTools): { schemas: Record<string, JsonSchema>; paths: Record<string, Record<string, Operation>> } {
  const { schemaOf, queryParameters, errors, idParameter, idempotencyParameter } = tools;
  const schemas = {
    PracticeProfile: schemaOf(ZPracticeProfileView, "output"),
    PracticeProfileInput: schemaOf(ZPracticeProfileInput, "input"),
    RenderingProvider: schemaOf(ZRenderingProviderView, "output"),
    RenderingProviderInput: schemaOf(ZRenderingProviderInput, "input"),
    PatchRenderingProvider: schemaOf(ZPatchRenderingProviderBody, "input"),
    Payer: schemaOf(ZPayerView, "output"),
    PayerInput: schemaOf(ZPayerInput, "input"),
    PatchPayer: schemaOf(ZPatchPayerBody, "input"),
    Coverage: schemaOf(ZCoverageView, "output"),
    CoverageInput: schemaOf(ZCoverageInput, "input"),
    PatchCoverage: schemaOf(ZPatchCoverageBody, "input"),
    CoverageBenefitsInput: schemaOf(ZCoverageBenefitsInput, "input"),
    CoverageRevision: schemaOf(ZCoverageRevisionView, "output"),
  };
  const paths: Record<string, Record<string, Operation>> = {
    "/practice": {
      get: {
        operationId: "getPracticeProfile",
        summary: "The billing provider as claims name it: legal name, NPI, EIN, taxonomy, address (ZIP+4), default place of service",
        responses: {
          "200": { description: "The practice profile", content: json(ref("PracticeProfile")) },
          "401": errors["401"],
          "404": { description: "Not set yet", content: json(ref("Error")) },
        },
      },
      put: {
        operationId: "savePracticeProfile",
        summary: "Set or replace the practice profile; audited",
        description:
          "npi: a type 2 NPI (10 digits, Luhn check with the 80840 prefix). ein: 9 digits (12-3456789). taxonomyCode: 10 characters ending in X. " +
          "address.postalCode: ZIP+4 (the 837P requires it for the billing provider); address.state: a US state code. Each bad field is named in `fields`.",
        requestBody: { required: true, content: json(ref("PracticeProfileInput")) },
        responses: { "200": { description: "The profile now", content: json(ref("PracticeProfile")) }, "401": errors["401"], "422": errors["422"] },
      },
    },
    "/rendering-providers": {
      get: {
        operationId: "listRenderingProviders",
        summary: "The clinic's rendering providers by name",
        parameters: queryParameters(ZListRenderingProvidersQuery),
        responses: { "200": { description: "The providers", content: list("RenderingProvider") }, "401": errors["401"], "422": errors["422"] },
      },
      post: {
        operationId: "createRenderingProvider",
        summary: "Add a rendering provider (name, type 1 NPI, taxonomy); an NPI is used once per clinic",
        parameters: [idempotencyParameter],
        requestBody: { required: true, content: json(ref("RenderingProviderInput")) },
        responses: {
          "201": { description: "Created", content: json(ref("RenderingProvider")) },
          "401": errors["401"],
          "409": errors["409"],
          "422": errors["422"],
        },
      },
    },
    "/rendering-providers/{id}": {
      get: {
        operationId: "getRenderingProvider",
        summary: "Get a rendering provider",
        parameters: [idParameter],
        responses: { "200": { description: "The provider", content: json(ref("RenderingProvider")) }, "401": errors["401"], "404": errors["404"] },
      },
      patch: {
        operationId: "updateRenderingProvider",
        summary: "Change a rendering provider: the fields sent replace theirs",
        parameters: [idParameter],
        requestBody: { required: true, content: json(ref("PatchRenderingProvider")) },
        responses: {
          "200": { description: "The provider now", content: json(ref("RenderingProvider")) },
          "401": errors["401"],
          "404": errors["404"],
          "422": errors["422"],
        },
      },
      delete: {
        operationId: "archiveRenderingProvider",
        summary: "Archive a rendering provider: past visits and claims keep them; new visits cannot name them",
        parameters: [idParameter],
        responses: { "200": { description: "The archived provider", content: json(ref("RenderingProvider")) }, "401": errors["401"], "404": errors["404"] },
      },
    },
    "/payers": {
      get: {
        operationId: "listPayers",
        summary: "The clinic's payers by name, each with its number of coverages",
        parameters: queryParameters(ZListPayersQuery),
        responses: { "200": { description: "The payers", content: list("Payer") }, "401": errors["401"], "422": errors["422"] },
      },
      post: {
        operationId: "createPayer",
        summary: "Add a payer: its name, the clearinghouse's payer id (once per clinic) and plan type (SBR09)",
        parameters: [idempotencyParameter],
        requestBody: { required: true, content: json(ref("PayerInput")) },
        responses: { "201": { description: "Created", content: json(ref("Payer")) }, "401": errors["401"], "409": errors["409"], "422": errors["422"] },
      },
    },
    "/payers/{id}": {
      get: {
        operationId: "getPayer",
        summary: "Get a payer",
        parameters: [idParameter],
        responses: { "200": { description: "The payer", content: json(ref("Payer")) }, "401": errors["401"], "404": errors["404"] },
      },
      patch: {
        operationId: "updatePayer",
        summary: "Change a payer: the fields sent replace its own (address null removes it)",
        parameters: [idParameter],
        requestBody: { required: true, content: json(ref("PatchPayer")) },
        responses: { "200": { description: "The payer now", content: json(ref("Payer")) }, "401": errors["401"], "404": errors["404"], "422": errors["422"] },
      },
      delete: {
        operationId: "archivePayer",
        summary: "Archive a payer: its coverages and claims stay; new coverages cannot name it",
        parameters: [idParameter],
        responses: { "200": { description: "The archived payer", content: json(ref("Payer")) }, "401": errors["401"], "404": errors["404"] },
      },
    },
    "/patients/{id}/coverages": {
      get: {
        operationId: "listPatientCoverages",
        summary: "A patient's coverages: in force today first (primary, secondary, tertiary), then future ones, then ended ones",
        parameters: [idParameter, ...queryParameters(ZListCoveragesQuery)],
        responses: { "200": { description: "The coverages", content: list("Coverage") }, "401": errors["401"], "404": errors["404"], "422": errors["422"] },
      },
      post: {
        operationId: "createCoverage",
        summary: "Add a coverage to a patient",
        description:
          "payerId is the Payer's id in Carebill. Two coverages of one patient with the same priority never cover the same day: an overlap is a 422 on `priority` " +
          "naming the other coverage. relationshipCode 18 (self, the default) takes no subscriber; any other code needs one with a birth date. " +
          "Dates are calendar dates on the clinic's calendar; effectiveTo (inclusive) null while open-ended. Version 1 is kept in the history.",
        parameters: [idParameter, idempotencyParameter],
        requestBody: { required: true, content: json(ref("CoverageInput")) },
        responses: {
          "201": { description: "Created", content: json(ref("Coverage")) },
          "401": errors["401"],
          "404": errors["404"],
          "409": errors["409"],
          "422": errors["422"],
        },
      },
    },
    "/coverages/{id}": {
      get: {
        operationId: "getCoverage",
        summary: "Get a coverage with its benefits and latest eligibility check",
        parameters: [idParameter],
        responses: { "200": { description: "The coverage", content: json(ref("Coverage")) }, "401": errors["401"], "404": errors["404"] },
      },
      patch: {
        operationId: "updateCoverage",
        summary: "Change a coverage: the fields sent replace its own, the result is checked as on create, and a new version is kept in the history",
        description: "Setting effectiveTo on an open coverage ends it (history: ended). relationshipCode 18 sent without a subscriber clears the subscriber.",
        parameters: [idParameter],
        requestBody: { required: true, content: json(ref("PatchCoverage")) },
        responses: {
          "200": { description: "The coverage now", content: json(ref("Coverage")) },
          "401": errors["401"],
          "404": errors["404"],
          "409": { description: "The coverage is archived", content: json(ref("Error")) },
          "422": errors["422"],
        },
      },
      delete: {
        operationId: "archiveCoverage",
        summary: "Archive a coverage: it stays on past claims and in the history, leaves the patient's list and blocks no other coverage's dates",
        parameters: [idParameter],
        responses: { "200": { description: "The archived coverage", content: json(ref("Coverage")) }, "401": errors["401"], "404": errors["404"] },
      },
    },
    "/coverages/{id}/benefits": {
      put: {
        operationId: "saveCoverageBenefits",
        summary: "Enter a coverage's benefits by hand (from a phone call or the payer's portal): they replace the current ones, verified now",
        description:
          "Money in minor units of the coverage's currency; coinsurance in basis points (20% = 2000). A met amount needs its maximum and never exceeds it (422 on the met field).",
        parameters: [idParameter],
        requestBody: { required: true, content: json(ref("CoverageBenefitsInput")) },
        responses: {
          "200": { description: "The coverage with its benefits", content: json(ref("Coverage")) },
          "401": errors["401"],
          "404": errors["404"],
          "409": { description: "The coverage is archived", content: json(ref("Error")) },
          "422": errors["422"],
        },
      },
    },
    "/coverages/{id}/history": {
      get: {
        operationId: "listCoverageRevisions",
        summary: "Every version of a coverage, newest first: what changed it, who, when, and its fields after the change",
        parameters: [idParameter],
        responses: { "200": { description: "The versions", content: list("CoverageRevision") }, "401": errors["401"], "404": errors["404"] },
      },
    },
  };
  return { schemas, paths };
}
