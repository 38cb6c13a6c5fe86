// Relative, not "@/": next.config.ts loads this file, and Next's config loader resolves "@/" from
// the root's point of view only (so lib/env.ts imports relatively too).
import { readEnvVar } from "../env";

/** What Stripe.js and Elements load (Stripe's security guide, "Content Security Policy"). */
const STRIPE_SOURCES = {
  script: "https://js.stripe.com",
  connect: "https://api.stripe.com",
  frame: "https://js.stripe.com https://hooks.stripe.com",
};

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Content-Security-Policy for our pages: scripts only from our origin with this request's nonce,
 * plus Stripe's origins. In a build made for the Stripe emulator (NEXT_PUBLIC_STRIPE_EMULATOR_URL,
 * inlined at build time like the browser's stand-in, so read by its literal name: lib/env.ts) the
 * page may also call the emulator and frame its 3-D Secure page.
 */
export function contentSecurityPolicy(options: { nonce: string; isDev: boolean; https: boolean; stripeEmulatorUrl?: string }): string {
  const emulator = originOf(options.stripeEmulatorUrl ?? process.env.NEXT_PUBLIC_STRIPE_EMULATOR_URL);
  const withEmulator = (sources: string) => (emulator ? `${sources} ${emulator}` : sources);
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic' lets Stripe.js, which our nonced bundle injects, load; the host is the CSP2 fallback.
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic' ${STRIPE_SOURCES.script}${options.isDev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (Radix positioning) cannot carry nonces.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    withEmulator(`connect-src 'self' ${STRIPE_SOURCES.connect}`),
    withEmulator(`frame-src 'self' ${STRIPE_SOURCES.frame}`),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** Whether the app is served over https (APP_URL), which adds HSTS and upgrade-insecure-requests. */
export function appUsesHttps(): boolean {
  return readEnvVar("APP_URL").startsWith("https://");
}

/** Headers every response carries, pages and API alike. */
export function baseSecurityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(self)",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(options.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload" } : {}),
  };
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,64}$/;

/** Keeps a caller's request id when it is a plausible identifier, otherwise makes a new one. */
export function requestIdFrom(incoming: string | null): string {
  return incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
}
