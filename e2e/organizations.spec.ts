import { expect, test } from "@playwright/test";
import { e2eScriptEnv, storageStatePath, toast } from "./fixtures";
import { invitationLinkFor } from "./invitations";

type Clinic = { slug: string; adminEmail: string; password: string };

/** A clinic of this test's own (e2e/create-clinic.ts), whose admin then also joins the demo clinic. */
async function createClinic(): Promise<Clinic> {
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "e2e/create-clinic.ts", `lakeside-${Date.now().toString(36)}`], {
    env: e2eScriptEnv(),
  });
  return JSON.parse(stdout.trim()) as Clinic;
}

test("someone in two clinics joins the second with their own password, chooses a clinic after sign-in and switches from the header", async ({ browser }) => {
  // A long flow (several browser contexts, three password hashes): a budget that fits it on a busy machine.
  test.setTimeout(180_000);
  const clinic = await createClinic();

  const admin = await browser.newContext({ storageState: storageStatePath("admin") });
  const adminPage = await admin.newPage();
  await adminPage.goto("/app/settings/users");
  await adminPage.getByRole("button", { name: "Invite user" }).click();
  const dialog = adminPage.getByRole("dialog", { name: "Invite a user" });
  await dialog.getByLabel("Full name").fill("Lee Admin");
  await dialog.getByLabel("Email").fill(clinic.adminEmail);
  await dialog.getByLabel("Role").selectOption("viewer");
  await dialog.getByRole("button", { name: "Send invitation" }).click();
  // The same answer as for a brand-new email: nothing says this person already has an account.
  await expect(toast(adminPage, `Invitation sent to ${clinic.adminEmail}. They join when they accept it from their email.`)).toBeVisible();
  await admin.close();

  const person = await browser.newContext();
  const page = await person.newPage();
  await page.goto(await invitationLinkFor(browser, clinic.adminEmail));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Join Sunrise Family Clinic");
  await page.getByLabel("Password").fill(clinic.password);
  await page.getByRole("button", { name: "Accept and sign in" }).click();
  await expect(page).toHaveURL(/\/app$/, { timeout: 30_000 });
  const switcher = page.getByRole("banner").getByRole("combobox", { name: "Clinic" });
  const settingsLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" });
  await expect(switcher.locator("option:checked")).toHaveText("Sunrise Family Clinic");
  await expect(settingsLink).toHaveAttribute("href", "/app/settings/autopay"); // a viewer here: the one tab they may read

  await switcher.selectOption({ label: "Lakeside Clinic" });
  await expect(switcher.locator("option:checked")).toHaveText("Lakeside Clinic");
  await expect(settingsLink).toHaveAttribute("href", "/app/settings"); // an admin there
  await person.close();

  // Signing in again: they choose, rather than landing in whichever clinic is oldest.
  const again = await browser.newContext();
  const signIn = await again.newPage();
  await signIn.goto("/login?callbackUrl=%2Fapp%2Fpatients");
  await signIn.getByLabel("Email").fill(clinic.adminEmail);
  await signIn.getByLabel("Password").fill(clinic.password);
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await expect(signIn.getByRole("heading", { level: 1 })).toHaveText("Choose a clinic", { timeout: 30_000 });
  await signIn.getByRole("button", { name: /Sunrise Family Clinic/ }).click();
  await expect(signIn).toHaveURL(/\/app\/patients$/, { timeout: 30_000 });
  await expect(signIn.getByRole("banner").getByRole("combobox", { name: "Clinic" }).locator("option:checked")).toHaveText("Sunrise Family Clinic");
  await again.close();
});
