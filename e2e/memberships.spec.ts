import AxeBuilder from "@axe-core/playwright";
import { devices, type APIRequestContext, type Page } from "@playwright/test";
import { createDemoApiKey, expect, screenshot, storageStatePath, testAs, toast } from "./fixtures";

const test = testAs("admin");
const { defaultBrowserType: _browser, ...phone } = devices["Pixel 7"];
const DATE = /[A-Z][a-z]{2} \d{1,2}, \d{4}/;

/** "Jan 4, 2027" for "Jan 5, 2027": a period's last day is the day before the next one starts. */
function dayBefore(date: string): string {
  const day = new Date(`${date} UTC`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
}

/** No WCAG 2.1 AA violation that axe finds (as accessibility.spec.ts checks every other page). */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(" | ")}`)).toEqual([]);
}

async function noSidewaysScroll(page: Page) {
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Creates a membership plan in Settings → Membership plans, as an admin does. */
async function createPlan(page: Page, plan: { name: string; price: string; interval: "Monthly" | "Yearly"; description?: string }) {
  await page.goto("/app/settings/membership-plans");
  await page.getByRole("button", { name: "New plan" }).click();
  const dialog = page.getByRole("dialog", { name: "New membership plan" });
  await dialog.getByLabel("Name").fill(plan.name);
  await dialog.getByLabel(/^Price/).fill(plan.price);
  await dialog.getByLabel("Billed").selectOption({ label: plan.interval });
  if (plan.description) await dialog.getByLabel("Description").fill(plan.description);
  await dialog.getByRole("button", { name: "Create plan" }).click();
  await expect(toast(page, "Membership plan created.")).toBeVisible();
  await expect(page.getByTestId("membership-plan").filter({ hasText: plan.name })).toBeVisible();
}

/** Staff add a Visa at the desk with the patient's agreement (as in cards-on-file.spec.ts). */
async function addDeskCard(page: Page, patientId: string) {
  await page.goto(`/app/patients/${patientId}`);
  await page.getByTestId("cards-on-file").getByRole("button", { name: "Add card" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a card at the desk" });
  await dialog.getByLabel("The patient agreed to these terms").check();
  await dialog.getByRole("button", { name: "Continue to card details" }).click();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("ZIP / Postal code").fill("97205");
  await dialog.getByRole("button", { name: "Save card" }).click();
  await expect(toast(page, "Card saved and made the default.")).toBeVisible();
}

/** Enrolls the patient from their page: plan, start today, their first card. */
async function enroll(page: Page, patientId: string, planName: string) {
  await page.goto(`/app/patients/${patientId}`);
  await page.getByTestId("patient-memberships").getByRole("link", { name: "Enroll" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Enroll in a membership" })).toBeVisible();
  const option = page.getByLabel("Plan").locator("option", { hasText: planName });
  await page.getByLabel("Plan").selectOption((await option.getAttribute("value"))!);
  await expect(page.getByLabel("Card")).toHaveValue(/.+/);
  await page.getByRole("button", { name: "Enroll patient" }).click();
}

test.describe.serial("memberships", () => {
  const suffix = Date.now().toString(36);
  const monthly = `Wellness ${suffix}`;
  const yearly = `Annual check-up ${suffix}`;
  const setup = { patientId: "", membershipId: "", cardLink: "" };
  let api: APIRequestContext;

  test.beforeAll(async ({ playwright, baseURL }) => {
    const secret = await createDemoApiKey(`Memberships e2e ${suffix}`);
    api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
    const patient = await api.post("/api/v1/patients", { data: { firstName: "Mira", lastName: `Member${suffix}`, email: "mira@example.test" } });
    expect(patient.status()).toBe(201);
    setup.patientId = ((await patient.json()) as { id: string }).id;
  });
  test.afterAll(async () => {
    await api.dispose();
  });

  test("an admin creates a plan, enrolls a patient with a card on file, and cancels at the period's end", async ({ page }) => {
    test.slow();
    // Settings: a price is required (inline), then the plan is created.
    await page.goto("/app/settings/membership-plans");
    await page.getByRole("button", { name: "New plan" }).click();
    const dialog = page.getByRole("dialog", { name: "New membership plan" });
    await dialog.getByLabel("Name").fill(monthly);
    await dialog.getByRole("button", { name: "Create plan" }).click();
    await expect(dialog.getByText("Enter the price per period.")).toBeVisible();
    await page.keyboard.press("Escape");
    await createPlan(page, { name: monthly, price: "49.00", interval: "Monthly", description: "Two check-ups a year and 10% off treatments." });
    await expect(page.getByTestId("membership-plan").filter({ hasText: monthly })).toContainText("$49.00 / month");
    await createPlan(page, { name: yearly, price: "300", interval: "Yearly" });
    await page.reload(); // without the toast
    await screenshot(page, "settings-membership-plans", { phone: true });
    await noSidewaysScroll(page);

    // A card at the desk, with the patient's agreement (as in cards-on-file.spec.ts).
    await addDeskCard(page, setup.patientId);
    await expect(page.getByTestId("patient-memberships")).toContainText("No memberships.");

    // Enroll starting today: the first period is invoiced and charged at once.
    await enroll(page, setup.patientId, monthly);
    await expect(page).toHaveURL(/\/app\/memberships\/[0-9a-f-]{36}$/);
    setup.membershipId = page.url().split("/").at(-1)!;
    await expect(page.getByRole("heading", { level: 1 })).toContainText(monthly);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Active");
    const period = page.getByTestId("membership-period");
    await expect(period).toHaveCount(1);
    await expect(async () => {
      await page.reload();
      await expect(period.first()).toContainText("Paid", { timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await expect(period.first()).toContainText("$49.00");
    await expect(page.getByTestId("membership-facts")).toContainText("Visa •••• 4242");
    const nextCharge = (await page.getByTestId("membership-facts").locator("div", { hasText: "Next charge" }).locator("dd").textContent())!;
    expect(nextCharge).toMatch(DATE);
    const lastDay = dayBefore(nextCharge);

    // The period's invoice says it is the membership's.
    await period.first().getByRole("link").filter({ visible: true }).click();
    await expect(page.getByTestId("invoice-membership")).toContainText(monthly);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Paid");
    await page.getByTestId("invoice-membership").getByRole("link", { name: monthly }).click();

    // The patient page shows it active with its next charge.
    await page.goto(`/app/patients/${setup.patientId}`);
    const section = page.getByTestId("patient-membership").filter({ hasText: monthly });
    await expect(section).toContainText("Active");
    await expect(section).toContainText(`$49.00 / month · Next charge ${nextCharge}`);
    await page.getByTestId("patient-memberships").scrollIntoViewIfNeeded();
    await screenshot(page, "patient-memberships", { phone: true });

    // Staff cancel at the period's end: the page says when it ends.
    await page.goto(`/app/memberships/${setup.membershipId}`);
    await page.getByRole("button", { name: "Cancel membership" }).click();
    const cancel = page.getByRole("alertdialog", { name: "Cancel this membership?" });
    await expect(cancel.getByLabel("At the end of this period")).toBeChecked();
    await cancel.getByRole("button", { name: "Cancel at period end" }).click();
    await expect(toast(page, `The membership ends after ${lastDay}.`)).toBeVisible();
    await expect(page.getByTestId("membership-ending")).toContainText(`ends after ${lastDay}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Ending");
    await expect(page.getByRole("button", { name: "Undo cancellation" })).toBeVisible();
    await page.reload(); // without the toast
    await expect(page.getByTestId("membership-ending")).toBeVisible();
    await screenshot(page, "membership-page", { phone: true });
    await expectAccessible(page);
    await noSidewaysScroll(page);

    await page.goto(`/app/patients/${setup.patientId}`);
    await expect(page.getByTestId("patient-membership").filter({ hasText: monthly })).toContainText(`Ends after ${lastDay}`);
  });

  test("enrolling the same patient in the same plan again says they are already a member", async ({ page }) => {
    await enroll(page, setup.patientId, monthly);
    await expect(page.getByRole("alert").filter({ hasText: /already a member/i })).toBeVisible();
    await expect(page).toHaveURL(/\/app\/memberships\/new\?patientId=/);
    await screenshot(page, "enroll-already-member", { phone: true });
    // Nothing was written: the patient still has one membership of that plan.
    await page.goto(`/app/patients/${setup.patientId}`);
    await expect(page.getByTestId("patient-membership").filter({ hasText: monthly })).toHaveCount(1);
  });

  test("a viewer sees the membership but cannot change it", async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStatePath("viewer") });
    const page = await context.newPage();
    try {
      await page.goto(`/app/memberships/${setup.membershipId}`);
      await expect(page.getByRole("heading", { level: 1 })).toContainText(monthly);
      await expect(page.getByTestId("membership-period")).toHaveCount(1);
      await expect(page.getByRole("button", { name: /Cancel|Pause|Undo/ })).toHaveCount(0);
      await page.goto(`/app/patients/${setup.patientId}`);
      await expect(page.getByTestId("patient-memberships").getByRole("link", { name: "Enroll" })).toHaveCount(0);
      await page.goto("/app/memberships");
      await expect(page.getByTestId("membership-row").filter({ hasText: `Member${suffix}` })).toHaveCount(1);
    } finally {
      await context.close();
    }
  });

  test("the patient cancels a membership at the period's end from their card link on a phone", async ({ page, browser }) => {
    test.slow();
    await enroll(page, setup.patientId, yearly);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(yearly);
    const periodEnd = page.getByTestId("membership-facts").locator("div", { hasText: "Next charge" }).locator("dd");
    await expect(periodEnd).toHaveText(DATE);
    const lastDay = dayBefore((await periodEnd.textContent())!);

    await page.goto(`/app/patients/${setup.patientId}`);
    await page.getByTestId("cards-on-file").getByRole("button", { name: "Send card link" }).click();
    const linkDialog = page.getByRole("dialog", { name: "Card link for the patient" });
    await linkDialog.getByRole("button", { name: "Create link to copy" }).click();
    setup.cardLink = new URL((await linkDialog.getByTestId("card-link-url").textContent())!).pathname;

    const context = await browser.newContext({ ...phone });
    const patientPage = await context.newPage();
    try {
      await patientPage.goto(setup.cardLink);
      const section = patientPage.getByTestId("card-memberships");
      await expect(section.getByRole("heading", { name: "Your memberships" })).toBeVisible();
      // The monthly one, canceled by staff, already says when it ends; the yearly one can be canceled.
      await expect(section.getByTestId("card-membership").filter({ hasText: monthly })).toContainText("Your membership ends after");
      const membership = section.getByTestId("card-membership").filter({ hasText: yearly });
      await expect(membership).toContainText("$300.00 / year");
      await membership.scrollIntoViewIfNeeded();
      await patientPage.setViewportSize({ width: 1280, height: 900 });
      await screenshot(patientPage, "card-page-memberships", { phone: true });
      await expectAccessible(patientPage);
      await patientPage.setViewportSize(phone.viewport);
      await expect.poll(() => patientPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.viewport.width);
      await membership.getByRole("button", { name: "Cancel at the end of this period" }).click();
      const confirm = patientPage.getByRole("alertdialog", { name: `Cancel your ${yearly} membership?` });
      await expect(confirm).toContainText(`It stays active through ${lastDay}`);
      await confirm.getByRole("button", { name: "Cancel at period end" }).click();
      await expect(membership.getByTestId("card-membership-ends")).toHaveText(
        `Your membership ends after ${lastDay}. It will not renew and nothing more is charged.`,
      );
      await expect(membership.getByRole("button", { name: "Cancel at the end of this period" })).toHaveCount(0);
      await patientPage.reload();
      await expect(patientPage.getByTestId("card-membership").filter({ hasText: yearly }).getByTestId("card-membership-ends")).toContainText(lastDay);
    } finally {
      await context.close();
    }

    await page.goto("/app/memberships?status=active");
    const row = page
      .getByTestId("membership-row")
      .filter({ hasText: `Member${suffix}` })
      .filter({ hasText: yearly });
    await row.getByRole("link").first().click();
    await expect(page.getByTestId("membership-ending")).toContainText("Canceled by the patient, from their card link");
    await expect(page.getByTestId("membership-ending")).toContainText(`ends after ${lastDay}`);
  });
});

testAs("billing")("billing staff pause and resume a membership, then cancel it now with a refund they choose", async ({ page, playwright, baseURL }) => {
  test.slow();
  const stamp = Date.now().toString(36);
  const secret = await createDemoApiKey(`Memberships billing e2e ${stamp}`);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const patient = (await (
    await api.post("/api/v1/patients", { data: { firstName: "Noor", lastName: `Refund${stamp}`, email: "noor@example.test" } })
  ).json()) as {
    id: string;
  };
  const planName = `Family care ${stamp}`;
  const plan = await api.post("/api/v1/membership-plans", { data: { name: planName, amount: 6000, interval: "monthly" } });
  expect(plan.status()).toBe(201);
  await api.dispose();

  await addDeskCard(page, patient.id);
  await enroll(page, patient.id, planName);
  await expect(page).toHaveURL(/\/app\/memberships\/[0-9a-f-]{36}$/);
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText("Active");
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Pause membership" }).click();
  await expect(toast(page, "Membership paused.")).toBeVisible();
  await expect(heading).toContainText("Paused");
  await expect(page.getByTestId("membership-facts")).toContainText("None while paused");
  await page.getByRole("button", { name: "Resume" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Resume membership" }).click();
  await expect(toast(page, "Membership resumed.")).toBeVisible();
  await expect(heading).toContainText("Active");

  await expect(page.getByTestId("membership-period").first()).toContainText("Paid");
  await page.getByRole("button", { name: "Cancel membership" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Cancel this membership?" });
  await dialog.getByLabel("Now").check();
  const refund = dialog.getByLabel(/^Refund/);
  // Prefilled with the unused share of the period, at most what was paid.
  await expect(refund).toHaveValue(/^\d+\.\d{2}$/);
  expect(Number(await refund.inputValue())).toBeLessThanOrEqual(60);
  await expect(dialog).toContainText("Up to $60.00; 0 for none.");
  await refund.fill("75.00");
  await dialog.getByRole("button", { name: "Cancel now" }).click();
  await expect(dialog.getByText("Refund at most $60.00")).toBeVisible();
  await refund.fill("10.00");
  await dialog.getByRole("button", { name: "Cancel now" }).click();
  await expect(toast(page, "Membership canceled; $10.00 is being refunded.")).toBeVisible();
  await expect(heading).toContainText("Canceled");
  await expect(page.getByRole("button", { name: /Cancel|Pause|Resume/ })).toHaveCount(0);
  await expect(page.getByTestId("membership-facts")).toContainText("Canceled");
});
