import { NextRequest } from "next/server";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { errorResponse } from "./error-response";
import { MAX_BODY_BYTES, readJsonBody } from "./request-body";
import { route } from "./route";

const ZBody = z.object({ name: z.string().min(1), amount: z.number().int().nonnegative() });
const silentLog = pino({ level: "silent" });

const echo = route("/test", async (request) => Response.json(await readJsonBody(request, ZBody)));

function post(body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) {
  return echo(new NextRequest("http://localhost/test", { method: "POST", body, headers }), { params: Promise.resolve({}) });
}

describe("JSON route handling", () => {
  it("accepts a valid body and echoes a request id", async () => {
    const response = await post(JSON.stringify({ name: "ok", amount: 5 }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: "ok", amount: 5 });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps a plausible caller request id, replaces anything else, and sets the security headers", async () => {
    const kept = await post(JSON.stringify({ name: "ok", amount: 5 }), { "content-type": "application/json", "x-request-id": "probe-123456" });
    expect(kept.headers.get("x-request-id")).toBe("probe-123456");
    const replaced = await post("{ not json", { "content-type": "application/json", "x-request-id": "a b <script>" });
    expect(replaced.status).toBe(400);
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    for (const response of [kept, replaced]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    }
  });

  it("answers malformed JSON with 400", async () => {
    const response = await post("{ not json");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "BAD_REQUEST", message: "The request body is not valid JSON." } });
  });

  it("answers wrong types and missing fields with 422 and a message per field", async () => {
    const response = await post(JSON.stringify({ amount: -1.5 }));
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(body.error.fields).sort()).toEqual(["amount", "name"]);
  });

  it("refuses bodies over 1 MB with 413, whether or not Content-Length says so", async () => {
    const big = JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES), amount: 1 });
    expect((await post(big)).status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await echo(
      new NextRequest("http://localhost/test", {
        method: "POST",
        body: stream,
        headers: { "content-type": "application/json" },
        duplex: "half",
      } as ConstructorParameters<typeof NextRequest>[1]),
      { params: Promise.resolve({}) },
    );
    expect(streamed.status).toBe(413);
  });

  it("answers another content type with 415", async () => {
    expect((await post("name=x", { "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
  });
});

describe("errorResponse", () => {
  it("maps each AppError code to its status", async () => {
    const cases = [
      ["UNAUTHORIZED", 401],
      ["FORBIDDEN", 403],
      ["NOT_FOUND", 404],
      ["CONFLICT", 409],
      ["VALIDATION_FAILED", 422],
      ["RATE_LIMITED", 429],
    ] as const;
    for (const [code, status] of cases) {
      const response = errorResponse(new AppError(code, "message"), { requestId: "r1", log: silentLog });
      expect(response.status).toBe(status);
      expect((await response.json()).error.code).toBe(code);
    }
  });

  it("hides everything internal in a 500 and returns the request id instead", async () => {
    const response = errorResponse(new Error("duplicate key value violates constraint users_email_key at /srv/app"), {
      requestId: "req-123",
      log: silentLog,
    });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("users_email_key");
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "Something went wrong on our side.", requestId: "req-123" } });
  });

  it("turns an unreachable database into a 503", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const response = errorResponse(new Error("query failed", { cause: refused }), { requestId: "r", log: silentLog });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });
});
