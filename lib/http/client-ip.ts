/**
 * The caller's address as the nearest proxy reports it. Used for audit entries and per-IP rate
 * limits; per-account limits do not depend on it, so a spoofed header cannot unlock an account.
 */
export function clientIpFromHeaders(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  const first = forwarded?.split(",")[0]?.trim();
  const ip = first || headers.get("x-real-ip")?.trim();
  return ip ? ip.slice(0, 64) : null;
}
