/**
 * 3-D Secure in emulator mode, shown as Stripe.js shows it for cards: a modal over the page
 * framing the issuer's challenge, here the emulator's own page (`/_emulator/3ds/<token>`). That
 * page posts `{ type: "stripe-emulator-3ds", intent, status }` to this window when the person
 * approves or fails; the caller then re-reads the intent from the emulator, which is the truth.
 */

const STYLE_ID = "carebill-stripe-emulator-3ds-style";
const STYLE = `
.cbse-3ds{position:fixed;inset:0;z-index:2147483647;background:rgba(10,15,30,.6);display:flex;align-items:center;justify-content:center;padding:12px}
.cbse-3ds-dialog{background:#fff;border-radius:10px;width:100%;max-width:480px;max-height:100%;display:flex;flex-direction:column;overflow:hidden;box-shadow:0 10px 40px rgba(0,0,0,.3)}
.cbse-3ds-header{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:8px 12px;background:#ffb020;font:700 13px system-ui,sans-serif;letter-spacing:.04em}
.cbse-3ds-header button{font:14px system-ui,sans-serif;min-height:36px;padding:4px 12px;border-radius:6px;border:1px solid #000;background:#fff;cursor:pointer}
.cbse-3ds iframe{border:0;width:100%;height:420px;max-height:calc(100vh - 80px)}
`;

function ensureStyle(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = STYLE;
  document.head.appendChild(style);
}

/** Resolves once the challenge for `intentId` was approved, failed or canceled. */
export function authenticateInModal(challengeUrl: string, intentId: string): Promise<void> {
  ensureStyle();
  const origin = new URL(challengeUrl).origin;
  const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;

  const overlay = document.createElement("div");
  overlay.className = "cbse-3ds";
  const dialog = document.createElement("div");
  dialog.className = "cbse-3ds-dialog";
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("aria-label", "3-D Secure authentication (test mode)");
  const header = document.createElement("div");
  header.className = "cbse-3ds-header";
  header.textContent = "TEST MODE · 3-D Secure";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = "Cancel";
  header.append(cancel);
  const frame = document.createElement("iframe");
  frame.title = "3-D Secure authentication";
  frame.src = challengeUrl;
  dialog.append(header, frame);
  overlay.append(dialog);
  document.body.append(overlay);
  frame.focus();

  return new Promise<void>((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      window.removeEventListener("message", onMessage);
      document.removeEventListener("keydown", onKeyDown);
      overlay.remove();
      previousFocus?.focus();
      resolve();
    };
    const onMessage = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (event.origin !== origin || typeof data !== "object" || data === null) return;
      const message = data as { type?: unknown; intent?: unknown };
      if (message.type === "stripe-emulator-3ds" && message.intent === intentId) finish();
    };
    // Closing the challenge fails the authentication, as closing Stripe's modal does.
    const abandon = () => {
      cancel.disabled = true;
      fetch(challengeUrl, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "action=fail" })
        .catch(() => undefined)
        .finally(finish);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") abandon();
    };
    window.addEventListener("message", onMessage);
    document.addEventListener("keydown", onKeyDown);
    cancel.addEventListener("click", abandon);
  });
}
