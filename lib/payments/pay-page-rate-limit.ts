import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { hitRateLimit } from "@/lib/rate-limit/rate-limit";

const LIMITS = {
  view: { perIp: 120, perLink: 300, windowSeconds: 600 },
  attempt: { perIp: 20, perLink: 30, windowSeconds: 600 },
} as const;

/**
 * Limits pay-page traffic per client IP and per link, with counters in PostgreSQL so every app
 * instance shares them. Throws RATE_LIMITED (429) past either limit.
 */
export async function assertPayPageRate(db: Db, options: { kind: keyof typeof LIMITS; ip: string | null; linkId: string }): Promise<void> {
  const limit = LIMITS[options.kind];
  const [perLink, perIp] = await Promise.all([
    hitRateLimit(db, { key: `pay:${options.kind}:link:${options.linkId}`, windowSeconds: limit.windowSeconds }),
    options.ip ? hitRateLimit(db, { key: `pay:${options.kind}:ip:${options.ip}`, windowSeconds: limit.windowSeconds }) : null,
  ]);
  if (perLink.count > limit.perLink || (perIp && perIp.count > limit.perIp)) {
    const retry = Math.max(perLink.retryAfterSeconds, perIp?.retryAfterSeconds ?? 0);
    throw new AppError("RATE_LIMITED", `Too many attempts. Please wait ${Math.ceil(retry / 60)} minute(s) and try again.`);
  }
}
