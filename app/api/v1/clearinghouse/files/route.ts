import type { NextRequest } from "next/server";
import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { readBodyText } from "@/lib/http/request-body";
import { AppError } from "@/lib/errors";
import { importClearinghouseFile, ZImportClearinghouseFileInput } from "@/lib/clearinghouse/import-file";
import { listClearinghouseFiles, ZListClearinghouseFilesQuery } from "@/lib/clearinghouse/list-files";

export const dynamic = "force-dynamic";

/** The file as JSON { fileName, content }, or its text (text/plain or application/edi-x12) with ?fileName=. */
async function readUpload(request: NextRequest) {
  const type = request.headers.get("content-type") ?? "";
  if (/^application\/json\b/i.test(type)) return readJsonBody(request, ZImportClearinghouseFileInput);
  if (!/^(text\/plain|application\/edi-x12)\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the file as text/plain (its name in ?fileName=) or as JSON { fileName, content }.");
  }
  const content = await readBodyText(request);
  return ZImportClearinghouseFileInput.parse({ fileName: request.nextUrl.searchParams.get("fileName") ?? "upload.x12", content });
}

export const GET = apiRoute("/api/v1/clearinghouse/files", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListClearinghouseFilesQuery);
  return { status: 200, body: { data: await listClearinghouseFiles(db, { organizationId: principal.organizationId, limit: query.limit }) } };
});

export const POST = apiRoute("/api/v1/clearinghouse/files", async (request, { db, principal, actor }) => {
  const upload = await readUpload(request);
  const result = await importClearinghouseFile(db, { organizationId: principal.organizationId, actor, ...upload, source: "upload" });
  return { status: 201, body: result };
});
