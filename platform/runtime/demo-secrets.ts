import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

const ZSecretsFile = z.record(z.string(), z.string());

/**
 * Secrets a demo install needs but nobody configured: generated once, kept in
 * `<dataDir>/secrets.json` (mode 0600) so sessions survive restarts. Never used in production.
 * `generate` makes a secret in a format of its own (e.g. a Stripe test key); the default is
 * 48 random bytes, base64url.
 */
export async function loadOrCreateDemoSecrets<K extends string>(
  dataDir: string,
  names: readonly K[],
  generate: Partial<Record<K, () => string>> = {},
): Promise<Record<K, string>> {
  const file = join(dataDir, "secrets.json");
  let stored: Record<string, string> = {};
  try {
    stored = ZSecretsFile.parse(JSON.parse(await readFile(file, "utf8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  let changed = false;
  for (const name of names) {
    if (!stored[name]) {
      stored[name] = generate[name]?.() ?? randomBytes(48).toString("base64url");
      changed = true;
    }
  }
  if (changed) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
  }
  return Object.fromEntries(names.map((name) => [name, stored[name] as string])) as Record<K, string>;
}
