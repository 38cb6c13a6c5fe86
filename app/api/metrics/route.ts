import { timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { metrics } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

function tokenMatches(header: string | null, expected: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, "") ?? "");
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Prometheus metrics; requires `Authorization: Bearer $METRICS_TOKEN` when that variable is set. */
export const GET = route("/api/metrics", async (request) => {
  const token = getEnv().METRICS_TOKEN;
  if (token && !tokenMatches(request.headers.get("authorization"), token)) {
    throw new AppError("UNAUTHORIZED", "A valid metrics token is required.");
  }
  return new Response(await metrics.registry.metrics(), {
    headers: { "Content-Type": metrics.registry.contentType, "Cache-Control": "no-store" },
  });
});
