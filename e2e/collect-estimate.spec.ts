import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { test, type Page } from "@playwright/test";
import { e2eScriptEnv, expect, screenshot, signInThroughApi, toast } from "./fixtures";

const run = promisify(execFile);
const script = async (file: string, ...args: string[]) =>
  (await run(process.execPath, ["--import", "tsx", file, ...args], { env: e2eScriptEnv() })).stdout.trim();

async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("ZIP / Postal code").fill("97205");
}

/**
 * Issue 19 item 6: the estimate collected at check-in by card (typed in at the desk) and in cash,
 * kept as the patient's credit; the payer's 835 bills the patient's share ($54.60), which the credit
 * pays; the unused rest is refunded to the card, and the cash handed back, from the patient's page.
 * A clinic of this file's own (e2e/create-clinic.ts, e2e/seed-claims-clinic.ts, e2e/seed-remittance.ts).
 */
test("a card and a cash prepayment settle the patient's share; the rest is refunded to the card and handed back", async ({ browser, baseURL }) => {
  test.slow();
  const slug = `prepay-${Date.now().toString(36)}`;
  const clinic = JSON.parse(await script("e2e/create-clinic.ts", slug)) as { adminEmail: string; password: string };
  await script("e2e/seed-claims-clinic.ts", slug);
  await script("e2e/seed-claims-clinic.ts", slug, "practice");
  const workDir = await mkdtemp(join(tmpdir(), "carebill-prepay-"));
  const staff = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  try {
    const seeded = JSON.parse(await script("e2e/seed-remittance.ts", slug, workDir)) as { visitId: string; patientId: string; file: string };
    await signInThroughApi(staff.request, clinic.adminEmail, clinic.password);
    const page = await staff.newPage();

    // At check-in: $80.00 by a card typed in at the desk, the card kept on file with the patient's agreement.
    await page.goto(`/app/visits/${seeded.visitId}`);
    await page.getByTestId("collect-estimate").click();
    const dialog = page.getByRole("dialog", { name: "Collect the estimate" });
    await dialog.getByLabel("Method").selectOption({ label: "Card (type it in)" });
    await dialog.getByLabel("Amount (USD)").fill("0.20");
    await dialog.getByRole("button", { name: "Continue to card details" }).click();
    await expect(dialog.getByText("The smallest card payment is $0.50; take less in cash.")).toBeVisible();
    await dialog.getByLabel("Amount (USD)").fill("80.00");
    await dialog.getByLabel("Save this card for future charges").check();
    await dialog.getByRole("button", { name: "Continue to card details" }).click();
    await fillCard(page, "4000 0000 0000 0002");
    await dialog.getByRole("button", { name: "Charge $80.00" }).click();
    await expect(dialog.getByTestId("desk-card-error")).toContainText("declined");
    await fillCard(page, "4242 4242 4242 4242");
    await dialog.getByRole("button", { name: "Charge $80.00" }).click();
    const paid = dialog.getByTestId("prepayment-card-paid");
    await expect(paid).toContainText("Collected $80.00, kept as credit.");
    await expect(paid).toContainText(/Receipt RCT-\d+/);
    await expect(paid).toContainText("Visa •••• 4242 is saved on file for future charges.");
    await screenshot(page, "visit-collect-estimate-card", { phone: true, fullPage: false });
    await dialog.getByRole("button", { name: "Done" }).click();

    // And $10.00 in cash; the saved card is now offered too.
    await page.getByTestId("collect-estimate").click();
    await expect(dialog.getByLabel("Method").locator("option")).toContainText(["Saved card"]);
    await dialog.getByLabel("Method").selectOption({ label: "Cash" });
    await dialog.getByLabel("Amount (USD)").fill("10.00");
    await dialog.getByRole("button", { name: "Collect" }).click();
    await expect(toast(page, "Collected $10.00")).toBeVisible();

    // The payer's 835: the patient's share ($54.60) is billed and paid from the credit.
    await page.goto("/app/claims");
    await page.waitForLoadState("networkidle");
    await page.getByLabel("Response file").setInputFiles(seeded.file);
    await page.getByRole("button", { name: "Import file" }).click();
    await expect(page.getByTestId("import-summary")).toContainText("the patient's share $54.60");

    // The patient's page: $35.40 left; refund $25.40 of it to the card (more is refused), hand the $10.00 back.
    await page.goto(`/app/patients/${seeded.patientId}`);
    const credit = page.getByTestId("patient-credit");
    await expect(credit.getByTestId("patient-credit-balance")).toHaveText("$35.40");
    await credit.getByTestId("refund-credit").click();
    const refund = page.getByRole("dialog", { name: "Refund unused credit" });
    const chooseCredit = async (text: string) => {
      const from = refund.getByLabel("Credit from");
      await from.selectOption((await from.locator("option", { hasText: text }).getAttribute("value"))!);
    };
    await chooseCredit("Visa •••• 4242");
    await refund.getByLabel("Amount (USD)").fill("80.00");
    await refund.getByRole("button", { name: "Refund to the card" }).click();
    await expect(refund.getByText(/Refund at most \$35\.40/)).toBeVisible();
    await refund.getByLabel("Amount (USD)").fill("25.40");
    await screenshot(page, "patient-refund-credit", { phone: true, fullPage: false });
    await refund.getByRole("button", { name: "Refund to the card" }).click();
    await expect(toast(page, "Refunded $25.40 to the card.")).toBeVisible();
    await expect(credit.getByTestId("patient-credit-history")).toContainText("Refunded to the card");

    await credit.getByTestId("refund-credit").click();
    await chooseCredit("Cash");
    await refund.getByLabel("Amount (USD)").fill("10.00");
    await refund.getByRole("button", { name: "Record money handed back" }).click();
    await expect(toast(page, "Recorded $10.00 handed back to the patient.")).toBeVisible();
    await expect(credit.getByTestId("patient-credit-history")).toContainText("Handed back (cash)");
    await expect(credit).toContainText("No credit to use.");
    await expect(credit.getByTestId("refund-credit")).toHaveCount(0);
  } finally {
    await staff.close();
    await rm(workDir, { recursive: true, force: true });
  }
});
