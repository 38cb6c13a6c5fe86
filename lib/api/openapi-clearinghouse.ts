import { ZClearinghouseFileView, ZClearinghouseSettingsView, ZImportResult } from "@/lib/clearinghouse/clearinghouse.types";
import { ZImportClearinghouseFileInput } from "@/lib/clearinghouse/import-file";
import { ZListClearinghouseFilesQuery } from "@/lib/clearinghouse/list-files";
import { ZClearinghouseSettingsInput } from "@/lib/clearinghouse/settings";
import type { OpenApiTools } from "./openapi-insurance";

type JsonSchema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });

/** Insurance part 1, section C: the clearinghouse's settings and the files it sends back (999, 277CA, 271, 835). */
export function clearinghouseOpenApi(tools: OpenApiTools) {
  const { schemaOf, queryParameters, errors, idempotencyParameter } = tools;
  const schemas: Record<string, JsonSchema> = {
    ClearinghouseSettings: schemaOf(ZClearinghouseSettingsView, "output"),
    ClearinghouseSettingsInput: schemaOf(ZClearinghouseSettingsInput, "input"),
    ClearinghouseFile: schemaOf(ZClearinghouseFileView, "output"),
    ClearinghouseFileUpload: schemaOf(ZImportClearinghouseFileInput, "input"),
    ClearinghouseImportResult: schemaOf(ZImportResult, "output"),
  };
  const paths = {
    "/clearinghouse/settings": {
      get: {
        operationId: "getClearinghouseSettings",
        summary: "The clearinghouse's ids and how files travel (manual or SFTP); the SFTP private key is never returned (hasPrivateKey)",
        responses: {
          "200": { description: "The settings", content: json(ref("ClearinghouseSettings")) },
          "401": errors["401"],
          "404": { description: "Not set up yet", content: json(ref("Error")) },
        },
      },
      put: {
        operationId: "saveClearinghouseSettings",
        summary: "Set or replace the clearinghouse settings; audited (without the key)",
        description:
          "submitterId and receiverId: 1 to 15 letters, digits or dashes, as the clearinghouse assigned them (ISA06/ISA08), stored upper-cased. " +
          "A submitter id is one clinic's at a clearinghouse: a submitterId another clinic on this Carebill uses with the same receiverId " +
          "is refused with 422 on `submitterId` (which clinic is not said) and nothing is written; the same submitterId with another receiverId is fine. " +
          "sftpPrivateKey is write-only: " +
          "omit it to keep the stored key, null to remove it, or an OpenSSH/PEM private key without a passphrase (stored encrypted with AES-256-GCM). " +
          'With connection "sftp", sftpHost, sftpUsername, a key and both folders are required (each missing one is named in `fields`).',
        requestBody: { required: true, content: json(ref("ClearinghouseSettingsInput")) },
        responses: { "200": { description: "The settings now", content: json(ref("ClearinghouseSettings")) }, "401": errors["401"], "422": errors["422"] },
      },
    },
    "/clearinghouse/files": {
      get: {
        operationId: "listClearinghouseFiles",
        summary: "The files imported from the clearinghouse (uploaded or fetched by SFTP), newest first, with what each changed",
        parameters: queryParameters(ZListClearinghouseFilesQuery),
        responses: {
          "200": {
            description: "The files",
            content: json({ type: "object", required: ["data"], properties: { data: { type: "array", items: ref("ClearinghouseFile") } } }),
          },
          "401": errors["401"],
          "422": errors["422"],
        },
      },
      post: {
        operationId: "importClearinghouseFile",
        summary: "Import a 999, 277CA, 271 or 835 file: claims move to accepted/rejected, eligibility checks are answered; all or nothing",
        description:
          "Send the file as text/plain (or application/edi-x12) with its name in ?fileName=, or as JSON { fileName, content }. A 999 judges whole claim files " +
          "(a rejected one rejects each of its claims), a 277CA each claim by its claim number (CLM01), a 271 answers the eligibility check with its trace number, " +
          "an 835 is stored for remittance posting. Refused with 422 and nothing written: a malformed file, a file addressed to another submitter (ISA08/GS03), " +
          "a file already imported (same ISA06+ISA13 or same bytes).",
        parameters: [{ name: "fileName", in: "query", required: false, schema: { type: "string", maxLength: 255 } }, idempotencyParameter],
        requestBody: {
          required: true,
          content: { ...json(ref("ClearinghouseFileUpload")), "text/plain": { schema: { type: "string" } } },
        },
        responses: {
          "201": { description: "What the import changed", content: json(ref("ClearinghouseImportResult")) },
          "401": errors["401"],
          "409": errors["409"],
          "413": { description: "The file is larger than 1 MB", content: json(ref("Error")) },
          "415": { description: "Neither text/plain nor JSON", content: json(ref("Error")) },
          "422": errors["422"],
        },
      },
    },
  };
  return { schemas, paths };
}
