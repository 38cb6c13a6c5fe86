import { devices } from "@playwright/test";
import { expect, testAs, toast } from "./fixtures";
import { invitationLinkFor } from "./invitations";

const test = testAs("admin");

test("an admin invites a user who accepts from the email, then changes their role and deactivates them", async ({ page, browser }) => {
  // A long flow (several browser contexts, three password hashes): a budget that fits it on a busy machine.
  test.setTimeout(180_000);
  const email = `new.${Date.now()}@demo.test`;
  await page.goto("/app/settings/users");
  await page.getByRole("button", { name: "Invite user" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite a user" });
  await dialog.getByRole("button", { name: "Send invitation" }).click();
  await expect(dialog.getByText("Enter the person's name.")).toBeVisible();

  await dialog.getByLabel("Full name").fill("Nora New");
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Role").selectOption("viewer");
  await dialog.getByRole("button", { name: "Send invitation" }).click();
  await expect(dialog).toBeHidden();
  await expect(toast(page, `Invitation sent to ${email}`)).toBeVisible();
  await expect(page.getByTestId(`invitation-${email}`)).toContainText("Nora New");
  await expect(page.getByTestId(`member-${email}`)).toHaveCount(0);

  // The invited person opens the link from their email, chooses a password and is signed in.
  const link = await invitationLinkFor(browser, email);
  const invited = await browser.newContext();
  const invitedPage = await invited.newPage();
  await invitedPage.goto(link);
  await expect(invitedPage.getByRole("heading", { level: 1 })).toHaveText("Join Sunrise Family Clinic");
  await invitedPage.getByLabel("Choose a password").fill("short");
  await invitedPage.getByRole("button", { name: "Accept and sign in" }).click();
  await expect(invitedPage.getByText("Use at least 12 characters.")).toBeVisible();
  await invitedPage.getByLabel("Choose a password").fill("nora's own long password");
  await invitedPage.getByRole("button", { name: "Accept and sign in" }).click();
  await expect(invitedPage).toHaveURL(/\/app$/, { timeout: 30_000 });
  await expect(invitedPage.getByRole("heading", { level: 1 })).toHaveText("Welcome, Nora");
  // The link works once.
  await invitedPage.goto(link);
  await expect(invitedPage.getByRole("heading", { level: 1 })).toHaveText("This invitation link does not work");

  await page.reload();
  const row = page.getByTestId(`member-${email}`);
  await expect(row).toContainText("Nora New");
  await expect(row.getByRole("combobox")).toHaveValue("viewer");
  await row.getByRole("combobox").selectOption("billing");
  await expect(row.getByRole("combobox")).toHaveValue("billing");
  await page.reload();
  await expect(page.getByTestId(`member-${email}`).getByRole("combobox")).toHaveValue("billing");

  await page.getByTestId(`member-${email}`).getByRole("button", { name: "Deactivate" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByTestId(`member-${email}`)).toContainText("Deactivated");
  // Deactivation ended their session.
  expect((await invitedPage.request.get("/api/me")).status()).toBe(401);
  await invited.close();
});

test("an admin cannot demote the last admin", async ({ page }) => {
  await page.goto("/app/settings/users");
  const row = page.getByTestId("member-admin@demo.test");
  await row.getByRole("combobox").selectOption("viewer");
  await expect(page.locator("[data-slot=alert]")).toContainText("at least one active admin");
});

test("clinic details are validated inline and saved", async ({ page }) => {
  await page.goto("/app/settings");
  await page.getByLabel("Clinic name").fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Enter the clinic's name.")).toBeVisible();
  await page.getByLabel("Clinic name").fill("Sunrise Family Clinic");
  await page.getByLabel("City").fill("Portland");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Clinic details saved." })).toBeVisible();
});

const { defaultBrowserType: _browser, ...phone } = devices["Pixel 7"];

test.describe("on a phone", () => {
  test.use(phone);

  test("the navigation opens from the menu button", async ({ page }) => {
    await page.goto("/app");
    await page.getByRole("button", { name: "Open navigation" }).click();
    const nav = page.getByRole("dialog", { name: "Navigation" });
    await nav.getByRole("link", { name: "Settings" }).click();
    await expect(page).toHaveURL(/\/app\/settings$/);
    await expect(nav).toBeHidden();
  });
});
