import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { isCalendarDate } from "@/lib/validation/fields";

/**
 * Checks API responses against the OpenAPI document the API serves: the operation exists, the
 * status is documented for it, and a JSON body matches the documented schema. tests/api-client.ts
 * runs it on every /api/v1 response a test receives, so the document cannot drift from the API.
 */

const BASE = "https://carebill.test/openapi.json";
const document = buildOpenApiDocument("http://localhost:3000") as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};

const ajv = new Ajv2020({
  strict: false,
  allErrors: true,
  logger: false,
  formats: {
    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "date-time": (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && isCalendarDate(value.slice(0, 10)),
    date: isCalendarDate,
    email: /^[^\s@]+@[^\s@]+$/,
    uri: (value: string) => URL.canParse(value),
  },
});
// The whole document as one schema, so `#/components/schemas/…` references resolve inside it.
ajv.addSchema({ ...(document as object), $id: BASE });

const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));
const validators = new Map<string, ValidateFunction>();

const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/** Throws, naming what differs, when a response of `method path` is not what the document promises. */
export function assertDocumentedResponse(method: string, path: string, response: { status: number; contentType: string | null; json: unknown }) {
  const apiPath = new URL(path, "http://localhost").pathname.replace(/^\/api\/v1/, "");
  const match = templates.filter(({ pattern }) => pattern.test(apiPath)).sort((a, b) => a.template.split("{").length - b.template.split("{").length)[0];
  const verb = method.toLowerCase();
  const operation = match && document.paths[match.template]![verb];
  if (!match || !operation) throw new Error(`OpenAPI: ${method} ${apiPath} is not documented`);
  const key = response.status in operation.responses ? String(response.status) : response.status >= 500 && operation.responses.default ? "default" : null;
  if (!key) {
    throw new Error(
      `OpenAPI: ${method} ${match.template} answered ${response.status}, which is not documented (documented: ${Object.keys(operation.responses).join(", ")}); body ${JSON.stringify(response.json)}`,
    );
  }
  if (!response.contentType?.startsWith("application/json")) return;
  if (!operation.responses[key]!.content?.["application/json"])
    throw new Error(`OpenAPI: ${method} ${match.template} ${response.status} answered JSON, but the document gives no JSON schema`);
  const ref = `${BASE}#/${pointer("paths", match.template, verb, "responses", key, "content", "application/json", "schema")}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  if (!validate(response.json)) {
    throw new Error(
      `OpenAPI: ${method} ${match.template} ${response.status} does not match its schema: ${ajv.errorsText(validate.errors)}; body ${JSON.stringify(response.json)}`,
    );
  }
}
