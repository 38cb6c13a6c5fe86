/**
 * The browser half of the Stripe emulator: the app's Stripe Elements code, unchanged, pays
 * against an in-process emulator through the stand-in that lib/stripe/client/get-stripe.ts
 * installs in emulator builds. The checkout (e2e/stripe-elements-harness.tsx) is bundled with
 * esbuild and served with the app's own Content-Security-Policy by a throwaway server, so no
 * page is added to the app. Fast on its own: `npx playwright test -c e2e/stripe-elements.config.ts`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { test as base, expect, type Page } from "@playwright/test";
import { build } from "esbuild";
import { createPaymentIntent } from "@/lib/stripe/create-payment-intent";
import { createStripeClient } from "@/lib/stripe/get-stripe";
import { contentSecurityPolicy } from "@/lib/security/headers";
import { startEmulator, type RunningEmulator } from "@/stripe-emulator/src/server";

type ReceivedRequest = { method: string; url: string; body: string };
type Harness = { url: string; emulator: RunningEmulator; received: ReceivedRequest[] };
type Account = { secretKey: string; publishableKey: string; stripe: ReturnType<typeof createStripeClient> };

const root = fileURLToPath(new URL("..", import.meta.url));

async function bundle(emulatorUrl: string | undefined, entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    jsx: "automatic",
    minify: true,
    logLevel: "silent",
    define: {
      "process.env.NODE_ENV": JSON.stringify("production"),
      // What Next.js inlines: the launcher always sets it, empty when not emulating.
      "process.env.NEXT_PUBLIC_STRIPE_EMULATOR_URL": JSON.stringify(emulatorUrl ?? ""),
    },
  });
  return result.outputFiles[0]?.text ?? "";
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

const test = base.extend<{ account: Account }, { harness: Harness }>({
  harness: [
    async ({}, provide) => {
      const emulator = await startEmulator({ port: 0 });
      const script = await bundle(emulator.url, "e2e/stripe-elements-harness.tsx");
      const received: ReceivedRequest[] = [];
      const server = createServer(async (request, response) => {
        const body = await readBody(request);
        received.push({ method: request.method ?? "GET", url: request.url ?? "/", body });
        const path = new URL(request.url ?? "/", "http://harness.invalid").pathname;
        if (path === "/harness.js") {
          response.writeHead(200, { "Content-Type": "text/javascript" }).end(script);
        } else if (path === "/") {
          const nonce = randomBytes(16).toString("base64");
          response
            .writeHead(200, {
              "Content-Type": "text/html; charset=utf-8",
              "Content-Security-Policy": contentSecurityPolicy({ nonce, isDev: false, https: false, stripeEmulatorUrl: emulator.url }),
            })
            .end(
              `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Checkout</title></head>` +
                `<body style="margin:0;padding:16px"><main id="root"></main><script nonce="${nonce}" src="/harness.js"></script></body></html>`,
            );
        } else if (path === "/return") {
          response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end("<!doctype html><title>Returned</title><h1>Returned</h1>");
        } else {
          response.writeHead(path === "/must-never-be-posted" ? 200 : 404).end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      await provide({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, emulator, received });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
    { scope: "worker" },
  ],
  // Each test gets its own key pair, so its objects are its own.
  account: async ({ harness }, provide) => {
    const suffix = randomBytes(12).toString("hex");
    const secretKey = `sk_test_${suffix}`;
    await provide({
      secretKey,
      publishableKey: `pk_test_${suffix}`,
      stripe: createStripeClient({ kind: "emulator", secretKey, host: "127.0.0.1", port: harness.emulator.port }),
    });
  },
  page: async ({ page }, provide) => {
    const problems: string[] = [];
    const stripeHosts: string[] = [];
    page.on("console", (message) => {
      // Chromium logs every non-2xx fetch; a decline is Stripe's 402, with real Stripe.js too.
      if (message.text().includes("status of 402")) return;
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("request", (request) => {
      const host = new URL(request.url()).hostname;
      if (host === "stripe.com" || host.endsWith(".stripe.com") || host.endsWith(".stripe.network")) stripeHosts.push(request.url());
    });
    await page.route(/stripe\.(com|network)/, (route) => route.abort());
    await provide(page);
    expect(stripeHosts, "requests to Stripe's servers").toEqual([]);
    expect(problems, "console errors, warnings and CSP violations").toEqual([]);
  },
});

async function openCheckout(page: Page, harness: Harness, account: Account, options: { redirect?: "always" } = {}) {
  const paymentIntent = await createPaymentIntent(
    { metadata: { organizationId: randomUUID(), paymentId: randomUUID() }, amount: 4200, currency: "usd" },
    account.stripe,
  );
  const query = new URLSearchParams({ pk: account.publishableKey, client_secret: paymentIntent.client_secret ?? "", ...options });
  await page.goto(`${harness.url}/?${query}`);
  await expect(page.getByRole("button", { name: "Pay" })).toBeEnabled();
  return paymentIntent;
}

async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("ZIP / Postal code").fill("94107");
}

test("4242 4242 4242 4242 pays; the card goes to the emulator only, nothing to stripe.com", async ({ page, harness, account }) => {
  const paymentIntent = await openCheckout(page, harness, account);
  await expect(page.getByText("TEST MODE", { exact: false })).toBeVisible();
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("status")).toHaveText("succeeded");

  expect((await account.stripe.paymentIntents.retrieve(paymentIntent.id)).status).toBe("succeeded");
  const log = await (await fetch(`${harness.emulator.url}/_emulator/requests`, { headers: { Authorization: `Bearer ${account.secretKey}` } })).json();
  const confirm = (log as { data: { path: string; params: Record<string, unknown> }[] }).data.find((entry) => entry.path.endsWith("/confirm"));
  expect(confirm?.params).toMatchObject({ key: account.publishableKey, payment_method_data: { card: { number: "4242424242424242" } } });
  expect(harness.received.filter((request) => `${request.url} ${request.body}`.includes("4242424242424242"))).toEqual([]);
});

test("4000 0000 0000 0002 shows Stripe's decline, and another card then pays", async ({ page, harness, account }) => {
  await openCheckout(page, harness, account);
  await fillCard(page, "4000 0000 0000 0002");
  await page.getByRole("button", { name: "Pay" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toHaveText("Your card was declined.");
  await expect(alert).toHaveAttribute("data-type", "card_error");
  await expect(alert).toHaveAttribute("data-code", "card_declined");
  await expect(alert).toHaveAttribute("data-decline-code", "generic_decline");

  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("status")).toHaveText("succeeded");
});

test("4000 0025 0000 3155 goes through the emulator's 3-D Secure page", async ({ page, harness, account }) => {
  const paymentIntent = await openCheckout(page, harness, account);
  await fillCard(page, "4000 0025 0000 3155");
  await page.getByRole("button", { name: "Pay" }).click();
  const challenge = page.getByRole("dialog", { name: /3-D Secure/ });
  await expect(challenge).toBeVisible();
  await page.frameLocator('iframe[title="3-D Secure authentication"]').getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("status")).toHaveText("succeeded");
  await expect(challenge).toBeHidden();
  expect((await account.stripe.paymentIntents.retrieve(paymentIntent.id)).status).toBe("succeeded");
});

test("a failed 3-D Secure challenge is Stripe's authentication error", async ({ page, harness, account }) => {
  await openCheckout(page, harness, account);
  await fillCard(page, "4000 0025 0000 3155");
  await page.getByRole("button", { name: "Pay" }).click();
  await page.frameLocator('iframe[title="3-D Secure authentication"]').getByRole("button", { name: "Fail" }).click();
  await expect(page.getByRole("alert")).toHaveAttribute("data-code", "payment_intent_authentication_failure");
});

test("redirect: always lands on return_url with Stripe's query parameters", async ({ page, harness, account }) => {
  const paymentIntent = await openCheckout(page, harness, account, { redirect: "always" });
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await page.waitForURL(/\/return\?/);
  const url = new URL(page.url());
  expect(Object.fromEntries(url.searchParams)).toEqual({
    payment_intent: paymentIntent.id,
    payment_intent_client_secret: paymentIntent.client_secret,
    redirect_status: "succeeded",
  });
});

test("incomplete or invalid cards are refused inline, before anything is sent", async ({ page, harness, account }) => {
  await openCheckout(page, harness, account);
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByLabel("Card number")).toHaveAccessibleDescription("Your card number is incomplete.");
  await expect(page.getByLabel("Card number")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Security code")).toHaveAccessibleDescription("Your card's security code is incomplete.");
  await expect(page.getByRole("alert")).toHaveAttribute("data-type", "validation_error");

  await page.getByLabel("Card number").fill("4242 4242 4242 4241");
  await page.getByLabel("Card number").blur();
  await expect(page.getByLabel("Card number")).toHaveAccessibleDescription("Your card number is invalid.");
  await page.getByLabel("Expiration date").fill("01 / 20");
  await page.getByLabel("Expiration date").blur();
  await expect(page.getByLabel("Expiration date")).toHaveAccessibleDescription("Your card's expiration year is in the past.");

  const log = await (await fetch(`${harness.emulator.url}/_emulator/requests`, { headers: { Authorization: `Bearer ${account.secretKey}` } })).json();
  expect((log as { data: { path: string }[] }).data.map((entry) => entry.path)).toEqual(["/v1/payment_intents"]);
});

test("even a native form submission posts no card data to the app's server", async ({ page, harness, account }) => {
  await openCheckout(page, harness, account);
  await fillCard(page, "4242 4242 4242 4242");
  const posted = page.waitForRequest((request) => request.url().endsWith("/must-never-be-posted"));
  await page.evaluate(() => document.querySelector("form")?.submit());
  expect((await posted).postData() ?? "").toBe("");
});

test("the card form fits a phone", async ({ page, harness, account }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await openCheckout(page, harness, account);
  for (const label of ["Card number", "Expiration date", "Security code", "ZIP / Postal code"]) {
    const box = await page.getByLabel(label).boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(360);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

base("a build without the emulator URL does not contain the stand-in", async () => {
  const marker = "Stripe emulator";
  expect(await bundle("http://127.0.0.1:12111", "lib/stripe/client/get-stripe.ts")).toContain(marker);
  expect(await bundle(undefined, "lib/stripe/client/get-stripe.ts")).not.toContain(marker);
});
