import { NextRequest } from "next/server";


/**
 * Calls a route handler exactly as Next.js would (a NextRequest and a params promise), without
 * a server: fast enough to run every API case in the integration suite.
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
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown> & { error?: { code: string; message: string; fields?: Record<string, string[]> } }) : null };
}
