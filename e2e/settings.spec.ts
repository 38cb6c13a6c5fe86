import { devices } from "@playwright/test";
import { expect, testAs } from "./fixtures";

const test = testAs("admin");

test("an admin adds a user, changes their role and deactivates them", async ({ page }) => {
  const email = `new.${Date.now()}@demo.test`;
  await page.goto("/app/settings/users");
  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a user" });
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(dialog.getByText("Enter the person's name.")).toBeVisible();
  await expect(dialog.getByText("Use at least 12 characters.")).toBeVisible();

  await dialog.getByLabel("Full name").fill("Nora New");
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Role").selectOption("viewer");
  await dialog.getByLabel("Temporary password").fill("a-long-temporary-pass");
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(dialog).toBeHidden();

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
