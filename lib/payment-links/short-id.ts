import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 12 base62 characters: about 71 bits from the system's CSPRNG, unguessable and short enough to type from paper. */
export const SHORT_ID_LENGTH = 12;
const SHORT_ID = new RegExp(`^[0-9A-Za-z]{${SHORT_ID_LENGTH}}$`);

/** A new short pay-link id (unbiased: bytes ≥ 248 are drawn again, so each character is uniform over 62). */
export function newShortId(): string {
  let id = "";
  while (id.length < SHORT_ID_LENGTH) {
    for (const byte of randomBytes(SHORT_ID_LENGTH * 2)) {
      if (byte < 248 && id.length < SHORT_ID_LENGTH) id += ALPHABET[byte % 62];
    }
  }
  return id;
}

/** Whether a /pay/<token> segment is a short id (a signed long token always has a "."). */
export function isShortId(token: string): boolean {
  return SHORT_ID.test(token);
}
