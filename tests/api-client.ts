import { NextRequest } from "next/server";
import { assertDocumentedResponse } from "./openapi-responses";

const isDocumentedApi = (path: string) => path.startsWith("/api/v1/") && !path.startsWith("/api/v1/openapi.json");

/**
 * Calls a route handler exactly as Next.js would (a NextRequest and a params promise), without
 * a server: fast enough to run every API case in the integration suite. Every /api/v1 response is
 * checked against the OpenAPI document (status documented, JSON body matching its schema).
 */
export async function callRoute<P>(
  handler: (request: NextRequest, context: { params: Promise<P> }) => Promise<Response>,
  options: { method?: string; path: string; params?: P; apiKey?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const request = new NextRequest(`http://localhost:3000${options.path}`, { method: options.method ?? "GET", headers, body });
  const response = await handler(request, { params: Promise.resolve(options.params ?? ({} as P)) });
  const text = await response.text();
  const contentType = response.headers.get("content-type");
  const json =
    text && contentType?.startsWith("application/json")
      ? (JSON.parse(text) as Record<string, unknown> & { error?: { code: string; message: string; fields?: Record<string, string[]> } })
      : null;
  // Every REST API answer a test sees must be one the OpenAPI document describes.
  if (isDocumentedApi(options.path)) assertDocumentedResponse(options.method ?? "GET", options.path, { status: response.status, contentType, json });
  return { status: response.status, headers: response.headers, json, text };
}
