import type Stripe from "stripe";
import type { Context } from "./context";
import { idOf } from "./render";
import { finishAuthentication } from "./resources/payment-intents";
import { finishSetupAuthentication } from "./resources/setup-intents";
import type { AccountState, Store } from "./store";

export type PendingAuthentication = {
  account: AccountState;
  intent: Stripe.PaymentIntent | Stripe.SetupIntent;
  returnUrl: string | null;
};

/** Finds the intent a 3-D Secure page token belongs to, in whichever account holds it. */
export function findAuthentication(store: Store, token: string): PendingAuthentication | null {
  for (const account of store.accounts.values()) {
    for (const [id, record] of Object.entries(account.intents)) {
      if (record.threeDsToken !== token) continue;
      const intent = account.paymentIntents[id] ?? account.setupIntents[id];
      if (intent) return { account, intent, returnUrl: record.returnUrl };
    }
  }
  return null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f6f8fa;margin:0}
.banner{background:#ffb020;color:#000;text-align:center;font-weight:700;padding:6px;letter-spacing:.05em}
.card{max-width:420px;margin:48px auto;background:#fff;border-radius:8px;box-shadow:0 2px 12px #0002;padding:24px}
button{font-size:16px;padding:10px 18px;margin-right:12px;border-radius:6px;border:1px solid #888;cursor:pointer}
.approve{background:#1a7f37;color:#fff;border-color:#1a7f37}.fail{background:#cf222e;color:#fff;border-color:#cf222e}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><div class="banner">TEST MODE — Stripe emulator</div><div class="card">${body}</div></body></html>`;
}

function describe(intent: Stripe.PaymentIntent | Stripe.SetupIntent): string {
  if (intent.object === "payment_intent") {
    return `Authorize a payment of <strong>${(intent.amount / 100).toFixed(2)} ${escapeHtml(intent.currency.toUpperCase())}</strong>.`;
  }
  return "Authorize saving this card for future payments.";
}

export function challengePage(token: string, pending: PendingAuthentication | null): string {
  if (!pending || pending.intent.status !== "requires_action") {
    return page("3-D Secure", "<h1>3-D Secure</h1><p>This authentication is no longer pending.</p>");
  }
  const action = `/_emulator/3ds/${encodeURIComponent(token)}`;
  return page(
    "3-D Secure authentication",
    `<h1>3-D Secure authentication</h1><p>${describe(pending.intent)}</p><p>This page stands in for the card issuer's challenge.</p>
<form method="post" action="${action}"><button class="approve" name="action" value="approve" type="submit">Approve</button><button class="fail" name="action" value="fail" type="submit">Fail</button></form>`,
  );
}

/** Applies the outcome and returns where to send the browser (Stripe's return_url query). */
export function completeChallenge(ctx: Context, pending: PendingAuthentication, approved: boolean): string | null {
  const intent = pending.intent;
  if (intent.object === "payment_intent") finishAuthentication(ctx, intent, approved);
  else finishSetupAuthentication(ctx, intent, approved);
  if (!pending.returnUrl) return null;
  const url = new URL(pending.returnUrl);
  const prefix = intent.object === "payment_intent" ? "payment_intent" : "setup_intent";
  url.searchParams.set(prefix, intent.id);
  url.searchParams.set(`${prefix}_client_secret`, intent.client_secret ?? "");
  url.searchParams.set("redirect_status", approved ? "succeeded" : "failed");
  return url.toString();
}

export function completionPage(approved: boolean, intentId: string): string {
  const status = approved ? "succeeded" : "failed";
  return page(
    "3-D Secure complete",
    `<h1>Authentication ${status}</h1><p>You can close this window.</p><script>window.parent!==window&&window.parent.postMessage({type:"stripe-emulator-3ds",intent:${JSON.stringify(intentId)},status:${JSON.stringify(status)}},"*")</script>`,
  );
}

export function receiptPage(charge: Stripe.Charge): string {
  return page(
    "Receipt",
    `<h1>Receipt</h1><p>Amount: ${(charge.amount_captured / 100).toFixed(2)} ${escapeHtml(charge.currency.toUpperCase())}</p><p>Charge: ${escapeHtml(charge.id)}</p><p>Refunded: ${(charge.amount_refunded / 100).toFixed(2)}</p><p>PaymentIntent: ${escapeHtml(idOf(charge.payment_intent) ?? "")}</p>`,
  );
}
