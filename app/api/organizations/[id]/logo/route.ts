import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { isRecordId } from "@/lib/http/record-id";
import { getOrganizationLogo } from "@/lib/organizations/organization-logo";

export const dynamic = "force-dynamic";

/**
 * The clinic's logo, public like the pay page that shows it. Served with the type found in its
 * bytes when it was uploaded (PNG or JPEG only), nosniff (route()), and no scripts or styles
 * should a browser ever open it as a page. A URL with the logo's version (`?v=`, from its hash)
 * is cached for a year; without it, briefly, revalidated by ETag.
 */
export const GET = route<{ id: string }>("/api/organizations/[id]/logo", async (request, { params }) => {
  if (!isRecordId(params.id)) throw new AppError("NOT_FOUND", "No logo here.");
  const logo = await getOrganizationLogo(await getDb(), params.id);
  if (!logo) throw new AppError("NOT_FOUND", "This clinic has no logo.");
  const etag = `"${logo.sha256}"`;
  const version = new URL(request.url).searchParams.get("v");
  const headers = {
    "Content-Type": logo.contentType,
    "Cache-Control": version === logo.sha256.slice(0, 16) ? "public, max-age=31536000, immutable" : "public, max-age=300, must-revalidate",
    ETag: etag,
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Content-Disposition": "inline",
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(logo.data), { status: 200, headers: { ...headers, "Content-Length": String(logo.data.length) } });
});
