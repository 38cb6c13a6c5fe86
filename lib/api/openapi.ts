import { z } from "zod";
import { ZCreateInvoiceInput, ZInvoiceView, ZUpdateInvoiceInput } from "@/lib/invoices/invoices.types";
import { ZCreatePatientInput, ZPatientView } from "@/lib/patients/patients.types";
import { ZErrorBody, ZListInvoicesQuery, ZListPatientsQuery, ZPatchPatientBody, ZVoidInvoiceBody } from "./api.schemas";

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
};
const idParameter = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
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

/** The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the routes parse with. */
export function buildOpenApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Carebill API",
      version: "1.0.0",
      description: "Patients and invoices for integrators (EHR, practice management). JSON in camelCase; money in integer minor units of the invoice's currency.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key created by an admin in Settings → API keys (cb_…)" } },
      schemas: {
        Patient: schemaOf(ZPatientView, "output"),
        CreatePatient: schemaOf(ZCreatePatientInput, "input"),
        PatchPatient: schemaOf(ZPatchPatientBody, "input"),
        Invoice: schemaOf(ZInvoiceView, "output"),
        CreateInvoice: schemaOf(ZCreateInvoiceInput, "input"),
        UpdateInvoice: schemaOf(ZUpdateInvoiceInput, "input"),
        VoidInvoice: schemaOf(ZVoidInvoiceBody, "input"),
        Error: schemaOf(ZErrorBody, "output"),
      },
    },
    paths: {
      "/patients": {
        get: { operationId: "listPatients", summary: "List and search patients", parameters: queryParameters(ZListPatientsQuery), responses: { "200": { description: "A page of patients", content: json(page("Patient")) }, "401": errors["401"], "422": errors["422"] } },
        post: { operationId: "createPatient", summary: "Create a patient", parameters: [idempotencyParameter], requestBody: { required: true, content: json(ref("CreatePatient")) }, responses: { "201": { description: "Created", content: json(ref("Patient")) }, "401": errors["401"], "409": errors["409"], "422": errors["422"] } },
      },
      "/patients/{id}": {
        get: { operationId: "getPatient", summary: "Get a patient (audited as a view of PHI)", parameters: [idParameter], responses: { "200": { description: "The patient with balances and invoice ids", content: json(ref("Patient")) }, "401": errors["401"], "404": errors["404"] } },
        patch: { operationId: "updatePatient", summary: "Update or archive a patient", parameters: [idParameter], requestBody: { required: true, content: json(ref("PatchPatient")) }, responses: { "200": { description: "Updated", content: json(ref("Patient")) }, "401": errors["401"], "404": errors["404"], "409": errors["409"], "422": errors["422"] } },
      },
      "/invoices": {
        get: { operationId: "listInvoices", summary: "List invoices", parameters: queryParameters(ZListInvoicesQuery), responses: { "200": { description: "A page of invoices", content: json(page("Invoice")) }, "401": errors["401"], "422": errors["422"] } },
        post: { operationId: "createInvoice", summary: "Create a draft invoice", parameters: [idempotencyParameter], requestBody: { required: true, content: json(ref("CreateInvoice")) }, responses: { "201": { description: "Created", content: json(ref("Invoice")) }, "401": errors["401"], "409": errors["409"], "422": errors["422"] } },
      },
      "/invoices/{id}": {
        get: { operationId: "getInvoice", summary: "Get an invoice", parameters: [idParameter], responses: { "200": { description: "The invoice", content: json(ref("Invoice")) }, "401": errors["401"], "404": errors["404"] } },
        patch: { operationId: "updateInvoice", summary: "Update a draft invoice", parameters: [idParameter], requestBody: { required: true, content: json(ref("UpdateInvoice")) }, responses: { "200": { description: "Updated", content: json(ref("Invoice")) }, "401": errors["401"], "404": errors["404"], "409": errors["409"], "422": errors["422"] } },
      },
      "/invoices/{id}/finalize": {
        post: { operationId: "finalizeInvoice", summary: "Finalize a draft: number it, open it and post its journal", parameters: [idParameter, idempotencyParameter], responses: { "200": { description: "Finalized", content: json(ref("Invoice")) }, "401": errors["401"], "404": errors["404"], "409": errors["409"], "422": errors["422"] } },
      },
      "/invoices/{id}/send": {
        post: { operationId: "sendInvoice", summary: "Email the invoice (PDF attached) to the patient", parameters: [idParameter, idempotencyParameter], responses: { "200": { description: "Queued for delivery", content: json(ref("Invoice")) }, "401": errors["401"], "404": errors["404"], "409": errors["409"], "422": errors["422"] } },
      },
      "/invoices/{id}/void": {
        post: { operationId: "voidInvoice", summary: "Void an open invoice without payments", parameters: [idParameter, idempotencyParameter], requestBody: { required: true, content: json(ref("VoidInvoice")) }, responses: { "200": { description: "Voided", content: json(ref("Invoice")) }, "401": errors["401"], "404": errors["404"], "409": errors["409"], "422": errors["422"] } },
      },
      "/invoices/{id}/payment-link": {
        post: {
          operationId: "createPaymentLink",
          summary: "Create a pay link for an open invoice (earlier links stop working)",
          parameters: [idParameter, idempotencyParameter],
          responses: {
            "201": { description: "The link", content: json({ type: "object", required: ["url", "expiresAt"], properties: { url: { type: "string", format: "uri" }, expiresAt: { type: "string", format: "date-time" } } }) },
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
      "/invoices/{id}/pdf": {
        get: { operationId: "getInvoicePdf", summary: "The invoice as a PDF", parameters: [idParameter], responses: { "200": { description: "PDF", content: { "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } } } }, "401": errors["401"], "404": errors["404"] } },
      },
    },
  };
}
