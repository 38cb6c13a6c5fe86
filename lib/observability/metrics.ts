import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: "carebill_http_requests_total",
    help: "API requests handled, by route, method and status.",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: "carebill_http_request_duration_seconds",
    help: "API request duration in seconds, by route and method.",
    labelNames: ["route", "method"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration };
}

const globalForMetrics = globalThis as unknown as { carebillMetrics?: ReturnType<typeof createMetrics> };

/** One registry per process (kept on globalThis so dev reloads do not register twice). */
export const metrics = (globalForMetrics.carebillMetrics ??= createMetrics());
