/**
 * The bench's load generator, run by bench/run.ts as its own process so that the load does not
 * share an event loop with the runner:
 *
 *   node --import tsx bench/load-generator.ts <job.json>
 *
 * Keeps `connections` keep-alive HTTP/1.1 connections to 127.0.0.1 busy until the job's request
 * count or time limit is reached, whichever comes first, and prints one JSON result line.
 * Two kinds of job: `requests` (a list of prepared requests, each sent once, or cycled until the
 * time limit when `cycle` is set) and `invoice-chain` (POST /api/v1/invoices with three lines,
 * then POST /api/v1/invoices/{id}/finalize with the id from the response).
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { summarize, type LoadResult } from "./stats";

export type PreparedRequest = { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };

export type LoadJob = {
  /** App instances' ports: connection i goes to ports[i % ports.length] (a round-robin balancer). */
  ports: number[];
  connections: number;
  /** Hard stop: no request starts after this many milliseconds. */
  maxDurationMs: number;
} & (
  | { kind: "requests"; requests: PreparedRequest[]; cycle?: boolean; maxRequests?: number }
  | { kind: "invoice-chain"; count: number; apiKey: string; patientIds: string[] }
);

type Reply = { status: number; body: string };

const job = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as LoadJob;
const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections, maxFreeSockets: job.connections });

function send(request: PreparedRequest, port: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers["content-length"] = Buffer.byteLength(request.body);
    const outgoing = http.request({ host: "127.0.0.1", port, method: request.method, path: request.path, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error("request timed out after 30 s")));
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
}

const latencies: number[] = [];
const unitLatencies: number[] = [];
const statusCounts: Record<string, number> = {};
const errorSamples: string[] = [];
let errors = 0;
const started = performance.now();
const deadline = started + job.maxDurationMs;

function note(status: number | string, body: string) {
  statusCounts[status] = (statusCounts[status] ?? 0) + 1;
  if (typeof status === "number" && status >= 200 && status < 300) return true;
  errors++;
  if (errorSamples.length < 5) errorSamples.push(`${status}: ${body.slice(0, 300)}`);
  return false;
}

async function timed(request: PreparedRequest, port: number): Promise<Reply | null> {
  const begin = performance.now();
  try {
    const reply = await send(request, port);
    latencies.push(performance.now() - begin);
    return note(reply.status, reply.body) ? reply : null;
  } catch (error) {
    latencies.push(performance.now() - begin);
    note("socket", String(error));
    return null;
  }
}

let next = 0;
async function requestsWorker(port: number, requests: PreparedRequest[], cycle: boolean, maxRequests: number) {
  while (performance.now() < deadline && next < maxRequests && (cycle || next < requests.length)) {
    const request = requests[next++ % requests.length]!;
    await timed(request, port);
  }
}

async function invoiceChainWorker(port: number, count: number, apiKey: string, patientIds: string[]) {
  const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  while (performance.now() < deadline && next < count) {
    const index = next++;
    const body = JSON.stringify({
      patientId: patientIds[index % patientIds.length],
      lines: [
        { description: `Office visit ${index}`, quantity: 1, unitAmount: 12_000 + (index % 500) },
        { description: `Lab panel ${index}`, quantity: 2, unitAmount: 3_500 + (index % 97) },
        { description: `Vaccine ${index}`, quantity: 1, unitAmount: 2_500 },
      ],
    });
    const begin = performance.now();
    const created = await timed({ method: "POST", path: "/api/v1/invoices", headers, body }, port);
    if (!created) continue;
    const id = (JSON.parse(created.body) as { id: string }).id;
    const finalized = await timed({ method: "POST", path: `/api/v1/invoices/${id}/finalize`, headers, body: "{}" }, port);
    if (finalized) unitLatencies.push(performance.now() - begin);
  }
}

const workers = Array.from({ length: job.connections }, (_, index) => {
  const port = job.ports[index % job.ports.length]!;
  return job.kind === "requests"
    ? requestsWorker(port, job.requests, job.cycle ?? false, job.maxRequests ?? Number.POSITIVE_INFINITY)
    : invoiceChainWorker(port, job.count, job.apiKey, job.patientIds);
});
await Promise.all(workers);
const durationMs = performance.now() - started;
agent.destroy();

const result: LoadResult = {
  requests: latencies.length,
  errors,
  statusCounts,
  errorSamples,
  durationMs: Math.round(durationMs),
  requestsPerSecond: Math.round((latencies.length / durationMs) * 1000 * 10) / 10,
  latencyMs: summarize(latencies),
  ...(job.kind === "invoice-chain"
    ? { units: unitLatencies.length, unitsPerSecond: Math.round((unitLatencies.length / durationMs) * 1000 * 10) / 10, unitLatencyMs: summarize(unitLatencies) }
    : {}),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
