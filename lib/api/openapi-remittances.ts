import { ZListRemittancesQuery } from "@/lib/remittances/list-remittances";
import { ZRemittancePage, ZRemittanceView } from "@/lib/remittances/remittances.types";
import type { OpenApiTools } from "./openapi-insurance";

type JsonSchema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });

/** Issue 19: remittances (835 payments) as stored on import, with their claim payments matched to claims. Read only here: each is posted as it is imported (see each claim payment's status). */
export function remittancesOpenApi(tools: OpenApiTools) {
  const { schemaOf, queryParameters, errors, idParameter } = tools;
  const schemas: Record<string, JsonSchema> = {
    RemittancePage: schemaOf(ZRemittancePage, "output"),
    Remittance: schemaOf(ZRemittanceView, "output"),
  };
  const paths = {
    "/remittances": {
      get: {
        operationId: "listRemittances",
        summary:
          "The payments read from imported 835 files, newest first: received (some claim payments wait: unmatched or held), posted, needs review (does not add up: nothing posted), or with unmatched claim payments",
        parameters: queryParameters(ZListRemittancesQuery),
        responses: {
          "200": { description: "One page; pass nextCursor as cursor for the next", content: json(ref("RemittancePage")) },
          "401": errors["401"],
          "422": errors["422"],
        },
      },
    },
    "/remittances/{id}": {
      get: {
        operationId: "getRemittance",
        summary: "One payment with its claim payments (matched claim or why not), service lines, adjustments with their reasons in words, PLB and imbalances",
        parameters: [idParameter],
        responses: { "200": { description: "The remittance", content: json(ref("Remittance")) }, "401": errors["401"], "404": errors["404"] },
      },
    },
  };
  return { schemas, paths };
}
