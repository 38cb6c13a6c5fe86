import { EnvError, readEnvVar } from "@/lib/env";
import { formatIpAddress, parseIpAddress, rangeContains, type IpRange } from "./ip-address";

/** Set on every request by the server's own socket hook (lib/http/peer-address-hook.ts), replacing any value a client sent. */
export const PEER_ADDRESS_HEADER = "x-carebill-peer-address";
/** Present on globalThis once the hook runs in this process: before that the header could come from a client. */
export const PEER_ADDRESS_HOOK_FLAG = Symbol.for("carebill.peerAddressHook");

/**
 * The client's address by proxy-addr's rule (Express's `trust proxy`): start at the TCP peer and
 * step left through X-Forwarded-For only while the current hop is a trusted proxy; the first
 * untrusted address is the client. With no trusted proxies the peer itself is the client and
 * forwarded headers are ignored. Null when the peer is unknown or a trusted proxy forwarded
 * something that is not an address.
 */
export function resolveClientIp(options: { peerAddress: string | null; forwardedFor: string | null; trustedProxies: readonly IpRange[] }): string | null {
  let current = options.peerAddress ? parseIpAddress(options.peerAddress) : null;
  if (!current) return null;
  const isTrusted = (address: number[]) => options.trustedProxies.some((range) => rangeContains(range, address));
  const hops = (options.forwardedFor ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean)
    .reverse();
  for (const hop of hops) {
    if (!isTrusted(current)) break;
    current = parseIpAddress(hop);
    if (!current) return null;
  }
  return formatIpAddress(current);
}

/** TRUSTED_PROXIES, parsed once per value. The app refuses to start with a malformed one (lib/env.ts); here it trusts none. */
function trustedProxies(): IpRange[] {
  try {
    return readEnvVar("TRUSTED_PROXIES");
  } catch (error) {
    if (error instanceof EnvError) return [];
    throw error;
  }
}

/**
 * The caller's address, for audit entries and per-IP rate limits (sign-in, pay page). The TCP
 * peer comes from our socket hook; X-Forwarded-For is read only behind TRUSTED_PROXIES. Null
 * ("unknown": no per-IP limit, the per-account and per-link limits still apply) when the hook is
 * not running in this process, e.g. in unit tests that call handlers directly.
 */
export function clientIpFromHeaders(headers: Headers): string | null {
  const hookRunning = (globalThis as Record<symbol, unknown>)[PEER_ADDRESS_HOOK_FLAG] === true;
  return resolveClientIp({
    peerAddress: hookRunning ? headers.get(PEER_ADDRESS_HEADER) : null,
    forwardedFor: headers.get("x-forwarded-for"),
    trustedProxies: trustedProxies(),
  });
}
