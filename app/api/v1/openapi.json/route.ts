import { NextResponse } from "next/server";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The API's OpenAPI 3.1 description; public, like any API reference. */
export const GET = route("/api/v1/openapi.json", async () =>
  NextResponse.json(buildOpenApiDocument(getEnv().APP_URL), { headers: { "Cache-Control": "public, max-age=300" } }),
);
