import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { readEnvVar } from "@/lib/env";
import { AppError } from "@/lib/errors";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key of its own for each use of the app's secret: rotating AUTH_SECRET makes stored secrets unreadable (staff enter the key again). */
function keyFor(purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", readEnvVar("AUTH_SECRET"), "carebill", `carebill:${purpose}`, 32));
}

/**
 * Encrypts a secret for storage with AES-256-GCM under a key derived (HKDF-SHA256) from AUTH_SECRET.
 * `context` (the organization id) is authenticated with it, so a value copied to another clinic's
 * row does not decrypt there. Output: "v1:" + base64(iv ‖ tag ‖ ciphertext).
 */
export function encryptSecret(plaintext: string, options: { purpose: string; context: string }): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyFor(options.purpose), iv);
  cipher.setAAD(Buffer.from(options.context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64")}`;
}

/** The secret encryptSecret stored, or a CONFLICT in words when it cannot be read (another AUTH_SECRET, another row). */
export function decryptSecret(stored: string, options: { purpose: string; context: string }): string {
  const [version, body = ""] = stored.split(":", 2);
  const bytes = Buffer.from(body, "base64");
  if (version !== VERSION || bytes.length < IV_BYTES + TAG_BYTES) {
    throw new AppError("CONFLICT", "The stored secret is not in a format this version of Carebill reads: enter it again.");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(options.purpose), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(options.context, "utf8"));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new AppError("CONFLICT", "The stored secret cannot be decrypted (was AUTH_SECRET changed?): enter it again.", { cause: error });
  }
}
