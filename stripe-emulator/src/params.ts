import { invalidRequest, missingParam, unknownParam } from "./errors";
import type { FormObject, FormValue } from "./form";

/** Rejects parameters an endpoint does not know, as Stripe does ("Received unknown parameter"). */
export function allowOnly(params: FormObject, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (key !== "expand" && !allowed.includes(key)) throw unknownParam(key);
  }
}

export function optionalString(params: FormObject, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidRequest(`Invalid string: ${name}`, name);
  return value;
}

export function requiredString(params: FormObject, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined || value === "") throw missingParam(name);
  return value;
}

/** An empty string means "unset" for nullable string fields such as `description`. */
export function optionalNullableString(params: FormObject, name: string): string | null | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  return value === "" ? null : value;
}

export function optionalInteger(params: FormObject, name: string): number | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^-?[0-9]+$/.test(value)) {
    throw invalidRequest(`Invalid integer: ${typeof value === "string" ? value : name}`, name);
  }
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw invalidRequest(`Invalid integer: ${value}`, name);
  return parsed;
}

export function requiredInteger(params: FormObject, name: string): number {
  const value = optionalInteger(params, name);
  if (value === undefined) throw missingParam(name);
  return value;
}

export function optionalBoolean(params: FormObject, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw invalidRequest(`Invalid boolean: ${typeof value === "string" ? value : name}`, name);
}

export function optionalEnum<T extends string>(params: FormObject, name: string, values: readonly T[]): T | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw invalidRequest(`Invalid ${name}: must be one of ${values.join(", ")}`, name);
  }
  return value as T;
}

export function optionalObject(params: FormObject, name: string): FormObject | undefined {
  const value = params[name];
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalidRequest(`Invalid object`, name);
  return value;
}

export function optionalStringArray(params: FormObject, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalidRequest(`Invalid array`, name);
  }
  return value as string[];
}

export function expandPaths(params: FormObject): string[] {
  const value: FormValue | undefined = params.expand;
  if (value === undefined) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  throw invalidRequest("Invalid array", "expand");
}

/**
 * Applies a `metadata` parameter to existing metadata with Stripe's rules: keys merge,
 * an empty value deletes a key, and `metadata=` (empty string) clears everything.
 */
export function applyMetadata(current: Record<string, string>, params: FormObject): Record<string, string> {
  const value = params.metadata;
  if (value === undefined) return current;
  if (value === "") return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalidRequest("Invalid object", "metadata");
  const next = { ...current };
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") throw invalidRequest(`Invalid value for metadata key ${key}`, `metadata[${key}]`);
    if (key.length > 40) throw invalidRequest("Metadata keys can be at most 40 characters", `metadata[${key}]`);
    if (item.length > 500) throw invalidRequest("Metadata values can be at most 500 characters", `metadata[${key}]`);
    if (item === "") delete next[key];
    else next[key] = item;
  }
  if (Object.keys(next).length > 50) throw invalidRequest("Metadata can have at most 50 keys", "metadata");
  return next;
}

/** Real Stripe parameters the emulator does not model: a clear 400 beats silently ignoring them. */
export function rejectUnsupported(params: FormObject, names: readonly string[]): void {
  for (const name of names) {
    if (params[name] !== undefined) {
      throw invalidRequest(`The Stripe emulator does not support the parameter ${name}.`, name);
    }
  }
}

/** `allowed_payment_method_types[]` as given, and the `payment_method_types` Stripe computes from it (cards only here). */
export function paymentMethodTypesFrom(params: FormObject): { allowed: string[] | null; types: string[] } {
  const allowed = optionalStringArray(params, "allowed_payment_method_types") ?? null;
  return { allowed, types: allowed ? allowed.filter((type) => type === "card") : ["card"] };
}
