import { NextResponse } from "next/server";
import { checkDatabase } from "@/lib/db/check-database";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Liveness and readiness: 200 when a database round trip succeeds, 503 when it does not. */
export const GET = route("/api/health", async () => {
  const database = await checkDatabase();
  const body = { status: database.ok ? "ok" : "unavailable", database: database.ok ? "up" : "down", latencyMs: database.latencyMs };
  return NextResponse.json(body, { status: database.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});
