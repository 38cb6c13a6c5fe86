import type { Context } from "./context";
import type { FormObject } from "./form";

export type ApiResult = { status?: number; body: object };
export type Handler = (ctx: Context, params: FormObject, pathParams: string[]) => ApiResult;
export type Route = { method: "GET" | "POST" | "DELETE"; pattern: RegExp; handler: Handler };

/** `/v1/customers/:id` → a regex with one capture group per `:name`. */
export function route(method: Route["method"], path: string, handler: Handler): Route {
  const pattern = new RegExp(`^${path.replace(/:[a-z_]+/g, "([^/]+)")}$`);
  return { method, pattern, handler };
}

export function param(pathParams: string[], index: number): string {
  const value = pathParams[index];
  if (value === undefined) throw new Error(`Route is missing path parameter ${index}`);
  return decodeURIComponent(value);
}
