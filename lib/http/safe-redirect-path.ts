const PLACEHOLDER_ORIGIN = "http://carebill.invalid";
/** Enough rounds for any realistic nesting of percent-encoding; deeper nesting is refused. */
const MAX_DECODE_ROUNDS = 5;

function fullyDecoded(value: string): string | null {
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

/** The path, query and fragment `value` names when it stays on our origin; null when a browser could leave it. */
function sameOriginPath(value: string): string | null {
  // Browsers read `\` as `/` and drop tabs and newlines in URLs: check what they will follow.
  if (!value.startsWith("/") && !value.startsWith("\\")) return null;
  let url: URL;
  try {
    url = new URL(value.replace(/\\/g, "/"), PLACEHOLDER_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil.example` resolves to the path `//evil.example`, which a browser reads as another host.
  return path.startsWith("//") ? null : path;
}

/**
 * A path on this site to send a signed-in user to (e.g. `callbackUrl`), or `fallback`. The value
 * is checked as given and again after undoing every layer of percent-encoding with backslashes
 * read as slashes, so `/%5Cevil.example`, `/\evil.example`, `//evil.example`, `/\t/evil.example`
 * and their encodings never leave the site. What is returned is the parsed path, re-serialized.
 */
export function safeRedirectPath(value: string | string[] | undefined | null, fallback = "/app"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || raw.length > 2048) return fallback;
  const decoded = fullyDecoded(raw);
  if (decoded === null || /[\u0000-\u001f\u007f]/.test(decoded)) return fallback;
  if (sameOriginPath(decoded) === null) return fallback;
  return sameOriginPath(raw) ?? fallback;
}
