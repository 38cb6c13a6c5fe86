import { devices, type APIRequestContext, type Page } from "@playwright/test";
import { createDemoApiKey, expect, screenshot, testAs, toast } from "./fixtures";

const test = testAs("billing");
const { defaultBrowserType: _browser, ...phone } = devices["Pixel 7"];

async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("ZIP / Postal code").fill("97205");
}

type Card = { id: string; brand: string; last4: string; isDefault: boolean; source: string; consent: { acceptedBy: string } | null };

test.describe.serial("cards on file", () => {
  const setup = { patientId: "", cardLink: "" };
  let api: APIRequestContext;

  test.beforeAll(async ({ playwright, baseURL }) => {
    const secret = await createDemoApiKey(`Cards e2e ${Date.now()}`);
    api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
    const patient = await api.post("/api/v1/patients", {
      data: { firstName: "Rowan", lastName: `Cardholder${Date.now().toString(36)}`, email: "rowan@example.test" },
    });
    expect(patient.status()).toBe(201);
    setup.patientId = ((await patient.json()) as { id: string }).id;
  });
  test.afterAll(async () => {
    await api.dispose();
  });

  const cards = async () => ((await (await api.get(`/api/v1/patients/${setup.patientId}/payment-methods`)).json()) as { data: Card[] }).data;

  test("staff add a card at the desk with the patient's agreement, then create a card link", async ({ page }) => {
    test.slow();
    await page.goto(`/app/patients/${setup.patientId}`);
    const section = page.getByTestId("cards-on-file");
    await expect(section.getByText("No cards on file.")).toBeVisible();
    await section.getByRole("button", { name: "Add card" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a card at the desk" });
    await expect(dialog.getByTestId("card-terms")).toContainText("to keep this card on file and to charge it, without me present");
    // Nothing starts until the box is ticked.
    await dialog.getByRole("button", { name: "Continue to card details" }).click();
    await expect(dialog.getByText("Tick the box to accept the terms first.")).toBeVisible();
    await dialog.getByLabel("The patient agreed to these terms").check();
    await dialog.getByRole("button", { name: "Continue to card details" }).click();
    await fillCard(page, "4242 4242 4242 4242");
    await screenshot(page, "desk-add-card-dialog");
    await dialog.getByRole("button", { name: "Save card" }).click();
    await expect(toast(page, "Card saved and made the default.")).toBeVisible();
    const saved = section.getByTestId("saved-card");
    await expect(saved).toHaveCount(1);
    await expect(saved).toContainText("Visa •••• 4242");
    await expect(saved).toContainText("Default");
    await expect(saved).toContainText("Front desk");
    await expect(saved).toContainText("by staff for the patient");
    expect(await cards()).toEqual([
      expect.objectContaining({
        brand: "visa",
        last4: "4242",
        isDefault: true,
        source: "front_desk",
        consent: expect.objectContaining({ acceptedBy: "staff_on_behalf" }),
      }),
    ]);

    await section.getByRole("button", { name: "Send card link" }).click();
    const linkDialog = page.getByRole("dialog", { name: "Card link for the patient" });
    await linkDialog.getByRole("button", { name: "Create link to copy" }).click();
    const url = await linkDialog.getByTestId("card-link-url").textContent();
    expect(url).toMatch(/\/card\/[0-9A-Za-z]{12}$/);
    setup.cardLink = new URL(url!).pathname;
    await page.keyboard.press("Escape");
    await page.reload();
    await expect(section.getByTestId("card-link-status")).toContainText("Card link created");
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, "patient-cards-on-file", { phone: true });
  });

  test("the patient replaces their card from the card link on a phone", async ({ browser }) => {
    test.slow();
    const context = await browser.newContext({ ...phone });
    const page = await context.newPage();
    try {
      await page.goto(setup.cardLink);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Hello Rowan/);
      await expect(page.getByTestId("card-terms")).toBeVisible();
      await expect(page.getByText("Your card on file: Visa •••• 4242")).toBeVisible();
      await expect(page.getByLabel("Replace it with a new card")).toBeChecked();
      // The same page at desktop width, then (the helper) at phone width.
      await page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(page, "card-link-page", { phone: true });
      await page.setViewportSize(phone.viewport);
      await page.getByLabel("I agree to these terms").check();
      await page.getByRole("button", { name: "Continue to card details" }).click();
      await fillCard(page, "5555 5555 5555 4444");
      await page.getByRole("button", { name: "Save card" }).click();
      await expect(page.getByTestId("card-saved")).toContainText("Your card is saved");
      await expect
        .poll(async () => (await cards()).map((card) => [card.brand, card.last4, card.isDefault, card.source]))
        .toEqual([["mastercard", "4444", true, "card_link"]]);
      expect((await cards())[0]!.consent).toMatchObject({ acceptedBy: "patient_online" });
      await screenshot(page, "card-link-saved", { phone: true });
    } finally {
      await context.close();
    }
  });
});

testAs("viewer")("a viewer sees cards on file but cannot add or remove them", async ({ page, playwright, baseURL }) => {
  const secret = await createDemoApiKey(`Cards viewer e2e ${Date.now()}`);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const patient = (await (await api.post("/api/v1/patients", { data: { firstName: "Vera", lastName: `Readonly${Date.now().toString(36)}` } })).json()) as {
    id: string;
  };
  await api.dispose();
  await page.goto(`/app/patients/${patient.id}`);
  const section = page.getByTestId("cards-on-file");
  await expect(section.getByText("No cards on file.")).toBeVisible();
  await expect(section.getByRole("button", { name: "Add card" })).toHaveCount(0);
  await expect(section.getByRole("button", { name: "Send card link" })).toHaveCount(0);
});
