import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random base62 string; rejection sampling keeps every character equally likely. */
export function randomToken(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** Stripe-style object id: `pi_` + 24 base62 characters. */
export function newId(prefix: string): string {
  return `${prefix}_${randomToken(24)}`;
}

/** Stripe-style client secret: `<id>_secret_<25 chars>`. */
export function newClientSecret(id: string): string {
  return `${id}_secret_${randomToken(25)}`;
}
