import { createHash, randomBytes } from "node:crypto";

const KEY_PREFIX = "cb_";

/** A new API key: `cb_` + 40 random base62-ish characters. Only its SHA-256 hash is stored. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(30).toString("base64url");
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** What lists show so people can tell keys apart, e.g. `cb_Xy12…`. */
export function displayPrefix(key: string): string {
  return key.slice(0, 8);
}
