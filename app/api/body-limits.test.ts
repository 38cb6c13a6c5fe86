import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { MAX_BODY_BYTES } from "@/lib/http/request-body";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { POST as nextAuthPost } from "./auth/[...nextauth]/route";
import { POST as createInvoice } from "./v1/invoices/route";
import { POST as createPatient } from "./v1/patients/route";
import { POST as webhook } from "./webhooks/stripe/route";

const database = setupTestDatabase();
const CHUNK = 64 * 1024;

/**
 * A request body that would be `total` bytes, produced only as fast as the route reads it, and
 * how much of it the route pulled: a route that buffers before checking reads all of it.
 */
function lazyBody(total: number) {
  let pulled = 0;
  const chunk = new TextEncoder().encode(`{"x":"${" ".repeat(CHUNK - 6)}`);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= total) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

type Handler = (request: NextRequest, context: { params: Promise<never> }) => Promise<Response>;

async function send(handler: Handler, path: string, body: ReturnType<typeof lazyBody>, headers: Record<string, string>) {
  const request = new NextRequest(`http://localhost:3000${path}`, { method: "POST", body: body.stream, headers, duplex: "half" } as ConstructorParameters<
    typeof NextRequest
  >[1]);
  const response = await handler(request, { params: Promise.resolve({ nextauth: ["callback", "credentials"] } as never) });
  return { status: response.status, json: (await response.json()) as { error: { code: string; message: string } } };
}

let apiKey: string;
beforeAll(async () => {
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_body_limit_test_secret";
  const org = await createTestOrganization(database.db);
  apiKey = (await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "limits" } })).secret;
});

describe("request bodies stop at 1 MB on every route that reads one", () => {
  const total = 16 * 1024 * 1024;
  const routes: [string, Handler, string, () => Record<string, string>][] = [
    ["the Stripe webhook", webhook as Handler, "/api/webhooks/stripe", () => ({ "content-type": "application/json", "stripe-signature": "t=1,v1=00" })],
    [
      "an API POST with an Idempotency-Key",
      createPatient as Handler,
      "/api/v1/patients",
      () => ({ "content-type": "application/json", authorization: `Bearer ${apiKey}`, "idempotency-key": "big-body-1" }),
    ],
    [
      "an API POST without one",
      createInvoice as Handler,
      "/api/v1/invoices",
      () => ({ "content-type": "application/json", authorization: `Bearer ${apiKey}` }),
    ],
    ["next-auth's sign-in", nextAuthPost as Handler, "/api/auth/callback/credentials", () => ({ "content-type": "application/x-www-form-urlencoded" })],
  ];

  for (const [name, handler, path, headers] of routes) {
    it(`${name}: 413 after reading little more than 1 MB of a 16 MB body without Content-Length`, async () => {
      const body = lazyBody(total);
      const response = await send(handler, path, body, headers());
      expect(response.status).toBe(413);
      expect(response.json.error).toMatchObject({
        code: "PAYLOAD_TOO_LARGE",
        message: "The request body is larger than 1 MB, the most this endpoint accepts.",
      });
      expect(body.pulled()).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * CHUNK);
    });

    it(`${name}: 413 without reading when Content-Length says the body is too large, and a lying small Content-Length does not help`, async () => {
      const declared = lazyBody(total);
      expect((await send(handler, path, declared, { ...headers(), "content-length": String(total) })).status).toBe(413);
      expect(declared.pulled()).toBe(0);
      const lying = lazyBody(total);
      expect((await send(handler, path, lying, { ...headers(), "content-length": "100" })).status).toBe(413);
      expect(lying.pulled()).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * CHUNK);
    });
  }
});
