import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { devices, test } from "@playwright/test";
import { e2eScriptEnv, expect, screenshot, signInThroughApi, toast } from "./fixtures";

const run = promisify(execFile);
const script = async (file: string, ...args: string[]) =>
  (await run(process.execPath, ["--import", "tsx", file, ...args], { env: e2eScriptEnv() })).stdout.trim();

const { defaultBrowserType: _browser, ...phone } = devices["Pixel 7"];

/**
 * Issue 19's browser test: the payer's 835 for a submitted claim is imported on the claims page and
 * posts itself; the patient's share (deductible, co-pay, coinsurance) becomes an invoice that says
 * what each amount is, and the patient pays it on the pay page. A clinic of this file's own
 * (e2e/create-clinic.ts, e2e/seed-claims-clinic.ts, e2e/seed-remittance.ts).
 */
test("an imported remittance posts itself, the patient's share becomes an invoice, and the patient pays it on the pay page", async ({ browser, baseURL }) => {
  test.slow(); // Three scripts, an import and a card payment on a busy machine.
  const slug = `remit-${Date.now().toString(36)}`;
  const clinic = JSON.parse(await script("e2e/create-clinic.ts", slug)) as { adminEmail: string; password: string };
  await script("e2e/seed-claims-clinic.ts", slug);
  await script("e2e/seed-claims-clinic.ts", slug, "practice");
  const workDir = await mkdtemp(join(tmpdir(), "carebill-remit-"));
  const staff = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  try {
    const seeded = JSON.parse(await script("e2e/seed-remittance.ts", slug, workDir)) as {
      claimId: string;
      displayNumber: string;
      serviceDate: string;
      file: string;
    };
    await signInThroughApi(staff.request, clinic.adminEmail, clinic.password);
    const page = await staff.newPage();

    // The biller uploads the 835 on the claims page: stored and posted, said in words.
    await page.goto("/app/claims");
    await page.waitForLoadState("networkidle");
    await page.getByLabel("Response file").setInputFiles(seeded.file);
    await page.getByRole("button", { name: "Import file" }).click();
    const summary = page.getByTestId("import-summary");
    await expect(summary).toContainText("835 imported");
    await expect(summary).toContainText(`${seeded.displayNumber}: posted. AETNA paid $38.40, contractual adjustments $82.00, the patient's share $54.60`);
    await screenshot(page, "remittance-import-posted", { phone: true });

    // The claim: paid, its remittance posted, with the patient's share invoice.
    await page.goto(`/app/claims/${seeded.claimId}`);
    await expect(page.getByRole("heading", { level: 1 }).getByTestId("claim-status")).toHaveText("Paid");
    const posting = page.getByTestId("claim-payment-posting");
    await expect(posting).toContainText("Posted");
    await screenshot(page, "remittance-claim-paid", { phone: true });
    await posting.getByRole("link", { name: /^Patient's share: INV-\d+/ }).click();

    // The invoice says what each amount is.
    await expect(page.getByRole("heading", { level: 1, name: /^INV-\d+/ })).toBeVisible();
    const day = seeded.serviceDate;
    for (const line of [
      `Co-pay — office visit 99213 on ${day}`,
      `Deductible — office visit 99213 on ${day}`,
      `Coinsurance — office visit 99213 on ${day}`,
      `Coinsurance — blood draw 36415 on ${day}`,
    ]) {
      await expect(page.getByText(line, { exact: true })).toBeVisible();
    }
    await expect(page.getByText("$54.60").first()).toBeVisible();
    await screenshot(page, "remittance-share-invoice", { phone: true });

    // A pay link for the patient.
    await page.getByRole("button", { name: "Create pay link" }).click();
    await expect(toast(page, "Pay link created.")).toBeVisible();
    const url = await page.getByTestId("copy-pay-link").getAttribute("data-url");
    expect(url).toBeTruthy();

    // The patient pays it on a phone.
    const patientContext = await browser.newContext({ ...phone, baseURL });
    try {
      const pay = await patientContext.newPage();
      await pay.goto(new URL(url!).pathname);
      await expect(pay.getByTestId("balance-due")).toHaveText("$54.60");
      await expect(pay.getByText(`Deductible — office visit 99213 on ${day}`)).toBeVisible();
      await pay.getByRole("button", { name: "Continue to payment" }).click();
      await pay.getByLabel("Card number").fill("4242 4242 4242 4242");
      await pay.getByLabel("Expiration date").fill("12 / 34");
      await pay.getByLabel("Security code").fill("123");
      await pay.getByLabel("ZIP / Postal code").fill("97205");
      await pay.getByRole("button", { name: "Pay $54.60" }).click();
      await expect(pay.getByRole("heading", { name: "Payment received" })).toBeVisible();
      await expect(pay.getByTestId("remaining-balance")).toHaveText("$0.00");
    } finally {
      await patientContext.close();
    }

    // Staff see the share invoice paid.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByRole("heading", { level: 1 }).innerText();
        },
        { timeout: 60_000 },
      )
      .toMatch(/Paid/);
  } finally {
    await staff.close();
    await rm(workDir, { recursive: true, force: true });
  }
});

/**
 * A payer's large 835 (60 claims: more than the 50 posted while the biller waits) is stored on upload
 * and posted by the background job: the upload answers at once with a link, and the payment's page
 * shows "Posting: n of 60 claim payments", refreshing itself, then the outcome.
 */
test("a large remittance is posted in the background: the upload answers at once, the payment's page shows the posting's progress, then what was posted", async ({
  browser,
  baseURL,
}) => {
  test.slow(); // Sixty claims seeded and posted on a busy machine.
  const slug = `remit-large-${Date.now().toString(36)}`;
  const clinic = JSON.parse(await script("e2e/create-clinic.ts", slug)) as { adminEmail: string; password: string };
  await script("e2e/seed-claims-clinic.ts", slug);
  await script("e2e/seed-claims-clinic.ts", slug, "practice");
  const workDir = await mkdtemp(join(tmpdir(), "carebill-remit-large-"));
  const staff = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  try {
    const seeded = JSON.parse(await script("e2e/seed-remittance.ts", slug, workDir, "60")) as { file: string; claims: number };
    expect(seeded.claims).toBe(60);
    await signInThroughApi(staff.request, clinic.adminEmail, clinic.password);
    const page = await staff.newPage();

    await page.goto("/app/claims");
    await page.waitForLoadState("networkidle");
    await page.getByLabel("Response file").setInputFiles(seeded.file);
    const started = Date.now();
    await page.getByRole("button", { name: "Import file" }).click();
    const summary = page.getByTestId("import-summary");
    await expect(summary).toContainText("835 imported");
    await expect(summary).toContainText("60 claim payments are being posted in the background");
    // Stored only: far quicker than posting 60 claim payments (about 5 s on a quiet machine).
    expect(Date.now() - started).toBeLessThan(30_000);
    await summary.getByRole("link", { name: "Follow the posting of 60 claim payments" }).click();

    const posting = page.getByTestId("remittance-posting");
    // Either still posting (with its count) or already done, depending on the machine's speed.
    await expect(posting).toContainText(/Posting: \d+ of 60 claim payments|Posted in the background/);
    await expect(posting).toContainText("Posted in the background", { timeout: 120_000 });
    await expect(posting).toContainText("60 claim payments posted");
    await expect(page.getByTestId("remittance-status")).toHaveText("Posted");
  } finally {
    await staff.close();
    await rm(workDir, { recursive: true, force: true });
  }
});
