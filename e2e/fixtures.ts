import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "carebill-demo";
export const DEMO = {
  admin: { email: "admin@demo.test", name: "Alex Admin" },
  billing: { email: "billing@demo.test", name: "Blair Billing" },
  viewer: { email: "viewer@demo.test", name: "Vic Viewer" },
} as const;
export type DemoRole = keyof typeof DEMO;

/**
 * How long to wait for what Stripe does on its own after a request: the emulator settles refunds
 * and opens test disputes "shortly after" (1 s), then delivers the webhook, retrying after 1, 2,
 * 4… s when a busy app answers too slowly; the page then shows it on its next refresh. Seconds
 * when idle; this is the budget for a slow machine, not a pause.
 */
export const STRIPE_EVENT_TIMEOUT = 60_000;

/**
 * With CAREBILL_SCREENSHOTS=<dir>, keeps a full-page screenshot (with `phone`, one at desktop and
 * one at phone width) for a visual check; otherwise does
 * nothing (a full-page screenshot waits for fonts and costs seconds on a busy machine, and asserts nothing).
 */
export async function screenshot(page: Page, name: string, options: { phone?: boolean; fullPage?: boolean } = {}) {
  const dir = process.env.CAREBILL_SCREENSHOTS;
  if (!dir) return;
  // An open dialog is shot as the viewport shows it (a full page would stretch its fixed overlay and header).
  const fullPage = options.fullPage ?? true;
  if (!options.phone) return void (await page.screenshot({ path: `${dir}/${name}.png`, fullPage }));
  const size = page.viewportSize();
  await page.screenshot({ path: `${dir}/${name}-desktop.png`, fullPage });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${dir}/${name}-phone.png`, fullPage });
  if (size) await page.setViewportSize(size);
}

export const storageStatePath = (role: DemoRole) => `e2e/.auth/${role}.json`;

/** A success toast (sonner, inside its aria-live "Notifications" region) containing `text`. */
export const toast = (page: Page, text: string | RegExp) =>
  page
    .getByRole("region", { name: /Notifications/ })
    .locator("[data-sonner-toast]")
    .filter({ hasText: text });

/** Signs in through next-auth's credentials endpoint (no form typing), leaving the session cookie in `request`. */
export async function signInThroughApi(request: APIRequestContext, email: string, password = DEMO_PASSWORD) {
  const csrf = await request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
  });
  expect(response.ok(), await response.text()).toBe(true);
}

/** A test whose page is already signed in as `role`. */
export function testAs(role: DemoRole) {
  return base.extend({ storageState: storageStatePath(role) });
}

export { expect };

/**
 * The environment for a script run against the running test server's embedded database
 * (`.data/e2e-<port>`, which the test server starts afresh): never the demo's own `.data`.
 */
export function e2eScriptEnv(): NodeJS.ProcessEnv {
  const port = process.env.E2E_PORT ?? "3100";
  return { ...process.env, CAREBILL_DATA_DIR: `.data/e2e-${port}`, DATABASE_URL: "", LOG_LEVEL: "warn" };
}

/**
 * An API key for the demo clinic, made with the operator CLI against the running test server's
 * embedded database (the launcher publishes its address under the data dir).
 */
export async function createDemoApiKey(name: string): Promise<string> {
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/cli.ts", "api-key", "create", "--org", "demo", "--name", name], {
    env: e2eScriptEnv(),
  });
  return stdout.trim();
}
