import { expect, test } from "@playwright/test";

test("every response carries a request id and security headers; pages carry a nonce CSP", async ({ request }) => {
  const page = await request.get("/login");
  const headers = page.headers();
  expect(headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");

  const health = await request.get("/api/health", { headers: { "x-request-id": "probe-123456" } });
  expect(health.status()).toBe(200);
  expect(health.headers()["x-request-id"]).toBe("probe-123456");
  expect(health.headers()["x-content-type-options"]).toBe("nosniff");
  expect(health.headers()["x-frame-options"]).toBe("DENY");
  // A caller's id that is not a plausible identifier is replaced, not echoed into logs.
  const odd = await request.get("/api/health", { headers: { "x-request-id": "<script>" } });
  expect(odd.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  // Unauthenticated API answers carry them too (the error path).
  const denied = await request.get("/api/v1/invoices");
  expect(denied.status()).toBe(401);
  expect(denied.headers()["x-content-type-options"]).toBe("nosniff");
  expect(denied.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

  // An API path no route handles still answers with the static security headers (next.config.ts).
  const unknown = await request.get("/api/no-such-route");
  expect(unknown.status()).toBe(404);
  expect(unknown.headers()["x-content-type-options"]).toBe("nosniff");
  expect(unknown.headers()["x-frame-options"]).toBe("DENY");

  const scriptPath = /\/_next\/static\/[^"]+\.js/.exec(await page.text())?.[0];
  expect(scriptPath).toBeTruthy();
  const asset = await request.get(scriptPath!);
  expect(asset.status()).toBe(200);
  expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
  expect(await health.json()).toMatchObject({ status: "ok", database: "up" });
});

test("metrics are served in Prometheus format", async ({ request }) => {
  await request.get("/api/health");
  const metrics = await request.get("/api/metrics");
  expect(metrics.status()).toBe(200);
  const text = await metrics.text();
  expect(text).toContain("# TYPE carebill_http_requests_total counter");
  expect(text).toMatch(/carebill_http_requests_total\{route="\/api\/health",method="GET",status="200"\} \d+/);
});

test("the page works without console errors or CSP violations", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  // Hydrated: typing is handled by React (the submit handler runs without a full page load).
  await page.getByLabel("Email").fill("x@example.test");
  await page.getByLabel("Password").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("[data-slot=alert]")).toBeVisible();
  expect(problems.filter((text) => !text.includes("401"))).toEqual([]);
});

test("public files answer without a session, and pages point at the icons", async ({ request }) => {
  const robots = await request.get("/robots.txt", { maxRedirects: 0 });
  expect(robots.status()).toBe(200);
  expect(robots.headers()["content-type"]).toContain("text/plain");
  const disallowed = (await robots.text()).match(/^Disallow: .*$/gm);
  expect(disallowed).toEqual(expect.arrayContaining(["Disallow: /app/", "Disallow: /pay/", "Disallow: /api/"]));

  for (const [path, type] of [
    ["/favicon.ico", "image/x-icon"],
    ["/favicon.svg", "image/svg+xml"],
    ["/apple-touch-icon.png", "image/png"],
    ["/clinic-logo-placeholder.svg", "image/svg+xml"],
  ] as const) {
    const file = await request.get(path, { maxRedirects: 0 });
    expect(file.status(), path).toBe(200);
    expect(file.headers()["content-type"], path).toContain(type);
  }

  const head = await (await request.get("/login")).text();
  expect(head).toMatch(/<link rel="icon" href="\/favicon\.ico" sizes="16x16 32x32 48x48"/);
  expect(head).toMatch(/<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml"/);
  expect(head).toMatch(/<link rel="apple-touch-icon" href="\/apple-touch-icon\.png" sizes="180x180"/);
});
