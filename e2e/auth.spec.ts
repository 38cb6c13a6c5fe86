import { test } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expect, testAs, type DemoRole } from "./fixtures";

for (const role of Object.keys(DEMO) as DemoRole[]) {
  testAs(role)(`${role} lands on the dashboard of the demo clinic`, async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/app$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${DEMO[role].name.split(" ")[0]}`);
    await expect(page.getByRole("banner")).toContainText("Sunrise Family Clinic");
    const settingsLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" });
    // Admins get the whole settings area; billing staff and viewers the one tab they may read (Autopay).
    await expect(settingsLink).toHaveAttribute("href", role === "admin" ? "/app/settings" : "/app/settings/autopay");
  });
}

testAs("viewer")("a viewer is refused the admin settings page", async ({ page }) => {
  const response = await page.goto("/app/settings/users");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You don't have access to this page");
});

testAs("billing")("billing staff are refused settings too, and the API answers 403", async ({ page }) => {
  expect((await page.goto("/app/settings"))?.status()).toBe(403);
  const me = await page.request.get("/api/me");
  expect(me.status()).toBe(200);
  expect((await me.json()).role).toBe("billing");
});

test("the demo's sign-in page lists the demo accounts (the launcher sets CAREBILL_DEMO)", async ({ page }) => {
  await page.goto("/login");
  const demo = page.getByRole("complementary", { name: "Demo accounts" });
  await expect(demo).toContainText(DEMO_PASSWORD);
  for (const role of Object.keys(DEMO) as DemoRole[]) await expect(demo).toContainText(`${DEMO[role].email} (${role})`);
});

test("a wrong password shows a clear error and no session", async ({ page }) => {
  await page.goto("/app");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fapp/);
  await page.getByLabel("Email").fill(DEMO.billing.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("[data-slot=alert]")).toHaveText("Incorrect email or password.");
  expect((await page.request.get("/api/me")).status()).toBe(401);
});

test("signing in with the form returns to the page asked for; signing out ends the session, even for a saved copy of the cookie", async ({ page, browser }) => {
  await page.goto("/login?callbackUrl=%2Fapp");
  await page.getByLabel("Email").fill(DEMO.viewer.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The server hashes the password: allow for a busy machine.
  await expect(page).toHaveURL(/\/app$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Vic");
  const savedCookies = await page.context().cookies();

  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get("/api/me")).status()).toBe(401);
  await page.goto("/app");
  await expect(page).toHaveURL(/\/login/);

  // Someone who copied the cookie before sign-out gets nothing from it.
  const copy = await browser.newContext();
  await copy.addCookies(savedCookies);
  expect((await copy.request.get("/api/me")).status()).toBe(401);
  await copy.close();
});

testAs("viewer")("a signed-in user is never sent to another site by callbackUrl", async ({ page }) => {
  for (const callbackUrl of ["/%5Cevil.example/x", "//evil.example/x", "/%09/evil.example", "https://evil.example/"]) {
    await page.goto(`/login?callbackUrl=${callbackUrl}`);
    await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/app$/);
  }
});

test("requests without a session: API 401, pages redirect to sign-in", async ({ request }) => {
  const api = await request.get("/api/me");
  expect(api.status()).toBe(401);
  expect(await api.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "Sign in to continue." } });
  const page = await request.get("/app/settings", { maxRedirects: 0 });
  expect(page.status()).toBe(307);
  expect(page.headers()["location"]).toContain("/login?callbackUrl=%2Fapp%2Fsettings");
});
