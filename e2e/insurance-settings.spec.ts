import { readFile } from "node:fs/promises";
import { test, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { e2eScriptEnv, expect, screenshot, signInThroughApi, storageStatePath, toast } from "./fixtures";

// A clinic of this file's own (e2e/create-clinic.ts): its practice, payers and clearinghouse
// settings are its own, whatever the specs that bill the demo clinic's claims do at the same time.
type Clinic = {
  slug: string;
  adminEmail: string;
  password: string;
  apiKey: string;
};

/** The inline message under a form field (FormField's `${id}-error`). */
const fieldError = (page: Page, id: string) => page.locator(`#${id}-error`);

/** This year's first day: a coverage starting then is in force today. */
const YEAR = new Date().getUTCFullYear();
const START = `${YEAR}-01-01`;

/** A well-formed NPI of this run's own: 1 and 8 digits, then the Luhn check digit over 80840 and those nine (CMS). */
function npiOfThisRun(): string {
  const base = `1${String(Date.now() % 100_000_000).padStart(8, "0")}`;
  const digits = `80840${base}`;
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return `${base}${(10 - (sum % 10)) % 10}`;
}

/** Fills the coverage dialog's required fields. */
async function fillCoverage(dialog: ReturnType<Page["getByRole"]>, coverage: { payer: string; priority: string; memberId: string; from: string }) {
  await dialog.getByLabel("Payer").selectOption({ label: coverage.payer });
  await dialog.getByLabel("Priority").selectOption({ label: coverage.priority });
  await dialog.getByLabel("Member id").fill(coverage.memberId);
  await dialog.getByLabel("Effective from").fill(coverage.from);
}

test.describe.serial("insurance settings and a patient's coverage", () => {
  const suffix = Date.now().toString(36).toUpperCase();
  const payerName = `Evergreen Health ${suffix}`;
  const payerId = `EVG${suffix}`;
  let patientId = "";
  let api: APIRequestContext;
  let staff: BrowserContext;

  test.beforeAll(async ({ playwright, baseURL, browser }) => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "e2e/create-clinic.ts", `insurance-${suffix.toLowerCase()}`], {
      env: e2eScriptEnv(),
    });
    const clinic = JSON.parse(stdout.trim()) as Clinic;
    api = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: `Bearer ${clinic.apiKey}` },
    });
    staff = await browser.newContext({ baseURL });
    await signInThroughApi(staff.request, clinic.adminEmail, clinic.password);
    const patient = await api.post("/api/v1/patients", {
      data: {
        firstName: "Theo",
        lastName: `Insured${suffix}`,
        dateOfBirth: "2015-04-02",
      },
    });
    expect(patient.status()).toBe(201);
    patientId = ((await patient.json()) as { id: string }).id;
  });

  test.afterAll(async () => {
    await api?.dispose();
    await staff?.close();
  });

  test("an admin sets the practice: an invalid NPI is refused under its field, then a valid one is saved", async () => {
    const page = await staff.newPage();
    await page.goto("/app/settings/practice");
    await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Practice" })).toHaveAttribute("aria-current", "page");
    await page.getByLabel("Legal name").fill("Evergreen Family Practice");
    await page.getByLabel("NPI").fill("1234567890");
    await page.getByLabel("Tax ID (EIN)").fill("12-3456789");
    await page.getByLabel("Taxonomy code").fill("207Q00000X");
    const form = page.getByRole("form", { name: "Practice details" });
    await form.getByLabel("Street address").fill("100 Main Street");
    await form.getByLabel("City").fill("Portland");
    await form.getByLabel("State").selectOption("OR");
    await form.getByLabel("ZIP code").fill("97201-1234");
    await page.getByRole("button", { name: "Save practice details" }).click();
    await expect(fieldError(page, "practice-npi")).toHaveText("This NPI's check digit is wrong: look for a mistyped digit.");
    await expect(page.getByLabel("NPI")).toHaveAttribute("aria-invalid", "true");
    await screenshot(page, "settings-practice-invalid-npi", { phone: true });

    await page.getByLabel("NPI").fill("1234567893");
    await page.getByRole("button", { name: "Save practice details" }).click();
    await expect(toast(page, "Practice details saved.")).toBeVisible();
    await expect(fieldError(page, "practice-npi")).toHaveCount(0);
    await page.reload();
    await expect(page.getByLabel("NPI")).toHaveValue("1234567893");
    await expect(form.getByLabel("ZIP code")).toHaveValue("97201-1234");

    // A rendering provider, with their own NPI.
    await page.getByTestId("rendering-providers").getByRole("button", { name: "Add provider" }).click();
    const dialog = page.getByRole("dialog", {
      name: "Add a rendering provider",
    });
    await dialog.getByLabel("First name").fill("Rosa");
    await dialog.getByLabel("Last name").fill(`Rendering${suffix}`);
    // Each clinician's NPI is theirs alone in the clinic: one of this run's own.
    const providerNpi = npiOfThisRun();
    await dialog.getByLabel("NPI").fill(providerNpi);
    await dialog.getByRole("button", { name: "Add provider" }).click();
    await expect(toast(page, "Rendering provider added.")).toBeVisible();
    await expect(page.getByTestId("rendering-provider").filter({ hasText: `Rosa Rendering${suffix}` })).toContainText(`NPI ${providerNpi}`);
    await screenshot(page, "settings-practice", { phone: true });
  });

  test("an admin adds a payer; the same payer id twice is refused under its field", async () => {
    const page = await staff.newPage();
    await page.goto("/app/settings/payers");
    await page.getByRole("button", { name: "Add payer" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add a payer" });
    await dialog.getByLabel("Name").fill(payerName);
    await dialog.getByLabel("Payer id").fill(payerId);
    await dialog.getByLabel("Plan type").selectOption("CI");
    await screenshot(page, "settings-payer-dialog", {
      phone: true,
      fullPage: false,
    });
    await dialog.getByRole("button", { name: "Add payer" }).click();
    await expect(toast(page, "Payer added.")).toBeVisible();
    const row = page.getByTestId("payer").filter({ hasText: payerName });
    await expect(row).toContainText(payerId);
    await expect(row).toContainText("Commercial insurance");

    await page.getByRole("button", { name: "Add payer" }).first().click();
    await dialog.getByLabel("Name").fill(`${payerName} copy`);
    await dialog.getByLabel("Payer id").fill(payerId);
    await dialog.getByRole("button", { name: "Add payer" }).click();
    await expect(fieldError(page, "payer-id")).toHaveText("Another payer of this clinic already has this payer id.");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await screenshot(page, "settings-payers", { phone: true });
  });

  test("an admin sets up the clearinghouse: the SFTP fields show for SFTP; by hand, the import and recent files", async () => {
    const page = await staff.newPage();
    await page.goto("/app/settings/clearinghouse");
    const form = page.getByRole("form", { name: "Clearinghouse settings" });
    await form.getByLabel("How files travel").selectOption("sftp");
    await expect(page.getByTestId("sftp-fields")).toBeVisible();
    // This run's own: a submitter id is one clinic's at a clearinghouse.
    await form.getByLabel("Submitter id").fill(`CB${suffix}`);
    await form.getByLabel("Submitter name").fill("Evergreen Family Practice");
    await form.getByLabel("Receiver id").fill("EXAMPLECH");
    await form.getByLabel("Receiver name").fill("Example Clearinghouse");
    await form.getByLabel("Upload folder").fill("inbox");
    await form.getByRole("button", { name: "Save clearinghouse settings" }).click();
    await expect(fieldError(page, "clearinghouse-upload-path")).toBeVisible();
    await screenshot(page, "settings-clearinghouse-sftp", { phone: true });
    await form.getByLabel("Upload folder").fill("/inbox");
    await form.getByLabel("How files travel").selectOption("manual");
    await expect(page.getByTestId("sftp-fields")).toHaveCount(0);
    await form.getByRole("button", { name: "Save clearinghouse settings" }).click();
    await expect(toast(page, "Clearinghouse settings saved.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Import a file" })).toBeVisible();
    await expect(page.getByTestId("clearinghouse-files")).toBeVisible();
    await screenshot(page, "settings-clearinghouse", { phone: true });
  });

  test("staff add a coverage with a dependent subscriber; a second primary on the same dates is refused under Priority", async () => {
    const page = await staff.newPage();
    await page.goto(`/app/patients/${patientId}`);
    const insurance = page.getByTestId("patient-insurance");
    await expect(insurance.getByText("No insurance on file")).toBeVisible();
    await insurance.getByRole("button", { name: "Add coverage" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a coverage" });
    await fillCoverage(dialog, {
      payer: `${payerName} (${payerId})`,
      priority: "Primary",
      memberId: `M${suffix}01`,
      from: START,
    });
    await dialog.getByLabel("Group number").fill("GRP-42");
    await dialog.getByLabel("Patient's relationship to the subscriber").selectOption({ label: "Child" });
    const subscriber = dialog.getByTestId("subscriber-fields");
    await expect(subscriber).toBeVisible();
    // Without the subscriber's birth date the server names the field.
    await subscriber.getByLabel("First name").fill("Dana");
    await subscriber.getByLabel("Last name").fill(`Insured${suffix}`);
    await dialog.getByRole("button", { name: "Add coverage" }).click();
    await expect(fieldError(page, "subscriber-birth-date")).toBeVisible();
    await subscriber.getByLabel("Date of birth").fill("1984-07-19");
    await subscriber.getByLabel("Sex").selectOption({ label: "Female" });
    await screenshot(page, "patient-coverage-dialog", {
      phone: true,
      fullPage: false,
    });
    await dialog.getByRole("button", { name: "Add coverage" }).click();
    await expect(toast(page, "Coverage added.")).toBeVisible();
    const primary = insurance.getByTestId("coverage").filter({ hasText: payerName });
    await expect(primary).toContainText("Primary");
    await expect(primary).toContainText("In force");
    await expect(primary).toContainText(`Dana Insured${suffix} (patient's relationship: child), born Jul 19, 1984`);

    // A second primary whose dates overlap the first.
    await insurance.getByRole("button", { name: "Add coverage" }).click();
    await fillCoverage(dialog, {
      payer: `${payerName} (${payerId})`,
      priority: "Primary",
      memberId: `M${suffix}02`,
      from: `${YEAR}-03-01`,
    });
    await dialog.getByRole("button", { name: "Add coverage" }).click();
    await expect(fieldError(page, "coverage-priority")).toContainText("Another primary coverage");
    await expect(dialog.getByLabel("Priority")).toHaveAttribute("aria-invalid", "true");
    await screenshot(page, "patient-coverage-overlap", {
      phone: true,
      fullPage: false,
    });
    // As a secondary it fits.
    await dialog.getByLabel("Priority").selectOption({ label: "Secondary" });
    await dialog.getByRole("button", { name: "Add coverage" }).click();
    // The first coverage's toast may still be on screen (6 s): the newest is sonner's first.
    await expect(toast(page, "Coverage added.").first()).toBeVisible();
    await expect(insurance.getByTestId("coverage")).toHaveCount(2);
    await expect(insurance.getByTestId("coverage").first()).toContainText(`M${suffix}01`);
    await expect(insurance.getByTestId("coverage").nth(1)).toContainText("Secondary");
  });

  test("benefits entered by hand show on the coverage, and its history lists each version", async () => {
    const page = await staff.newPage();
    await page.goto(`/app/patients/${patientId}`);
    const primary = page.getByTestId("patient-insurance").getByRole("listitem", { name: `Primary: ${payerName}` });
    await expect(primary).toContainText("Benefits not verified yet.");
    await primary.getByRole("button", { name: "Enter benefits" }).click();
    const dialog = page.getByRole("dialog", { name: "Enter benefits" });
    await dialog.getByLabel("Co-pay (USD)").fill("25");
    await dialog.getByLabel("Coinsurance (%)").fill("20");
    await dialog.getByLabel("Individual deductible (USD)").fill("1500");
    // More met than the deductible: the server names the field.
    await dialog.getByLabel("Individual deductible met (USD)").fill("1600");
    await dialog.getByRole("button", { name: "Save benefits" }).click();
    await expect(fieldError(page, "benefits-deductibleIndividualMet")).toContainText("cannot be more than");
    await dialog.getByLabel("Individual deductible met (USD)").fill("500");
    await dialog.getByLabel("Individual out-of-pocket max (USD)").fill("4000");
    await dialog.getByLabel("Individual out-of-pocket met (USD)").fill("750");
    await screenshot(page, "patient-benefits-dialog", {
      phone: true,
      fullPage: false,
    });
    await dialog.getByRole("button", { name: "Save benefits" }).click();
    await expect(toast(page, "Benefits saved.")).toBeVisible();
    const benefits = primary.getByTestId("coverage-benefits");
    await expect(benefits).toContainText(/Benefits verified [A-Z][a-z]{2} \d{1,2}, \d{4} by hand/);
    await expect(benefits).toContainText("Office visit co-pay$25.00");
    await expect(benefits).toContainText("Coinsurance20%");
    await expect(
      benefits.getByRole("progressbar", {
        name: "Individual deductible: $500.00 met of $1,500.00",
      }),
    ).toHaveAttribute("aria-valuenow", "33");
    await expect(
      benefits.getByRole("progressbar", {
        name: "Individual out-of-pocket: $750.00 met of $4,000.00",
      }),
    ).toBeVisible();
    await screenshot(page, "patient-insurance", { phone: true });

    await primary.getByRole("link", { name: "History" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `${payerName} coverage` })).toBeVisible();
    const versions = page.getByTestId("coverage-revision");
    await expect(versions).toHaveCount(2);
    await expect(versions.first()).toContainText("Version 2");
    await expect(versions.first()).toContainText("Benefits entered by hand");
    await expect(versions.nth(1)).toContainText("Version 1");
    await expect(versions.nth(1)).toContainText("Added");
    await expect(page.getByTestId("eligibility-checks")).toContainText("No eligibility check yet.");
    await screenshot(page, "coverage-history", { phone: true });
  });

  test("an eligibility check: the 270 downloads, and its 271 imported on the Clearinghouse page answers it on the coverage", async () => {
    const page = await staff.newPage();
    await page.goto(`/app/patients/${patientId}`);
    const primary = page.getByTestId("patient-insurance").getByRole("listitem", { name: `Primary: ${payerName}` });
    await primary.getByRole("button", { name: "Check eligibility" }).click();
    // The check that stays on the page, not the toast (gone after 6 s): a loaded CI machine answered the action after the 20 s default.
    await expect(primary.getByTestId("eligibility-check")).toContainText("Waiting for the answer", { timeout: 90_000 });
    // A manual connection: the 270 waits until staff download it, which is the send.
    await expect(primary.getByTestId("eligibility-sent")).toHaveText("Waiting to be sent");
    const link = primary.getByRole("link", { name: /Download the 270/ });
    const traceNumber = /trace (\S+)\)/.exec((await link.textContent()) ?? "")?.[1];
    expect(traceNumber).toBeTruthy();
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const request = await readFile((await download.path())!, "utf8");
    expect(request).toMatch(/^ISA\*/);
    expect(request).toContain(`TRN*1*${traceNumber}*`);
    await page.reload();
    await expect(primary.getByTestId("eligibility-sent")).toContainText("Sent to the clearinghouse at ");
    await screenshot(page, "patient-eligibility-requested", { phone: true });

    // The clearinghouse's answer, as its portal gives it: the 271 sample with this check's trace and a fresh interchange number.
    const interchange = String(Date.now() % 1_000_000_000).padStart(9, "0");
    const answer = (await readFile("lib/x12/__fixtures__/271/subscriber-benefits.271", "utf8"))
      .replaceAll("EC000000042", traceNumber!)
      .replaceAll("000005501", interchange)
      .replaceAll("*5501*", `*${Number(interchange)}*`)
      .replace(/GE\*1\*5501~/, `GE*1*${Number(interchange)}~`);
    await page.goto("/app/settings/clearinghouse");
    await page.getByLabel("File", { exact: true }).setInputFiles({
      name: `eligibility-${interchange}.271`,
      mimeType: "text/plain",
      buffer: Buffer.from(answer),
    });
    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.getByTestId("import-summary")).toContainText(`Imported eligibility-${interchange}.271 (271 eligibility answer)`);
    await expect(page.getByTestId("clearinghouse-file").filter({ hasText: `eligibility-${interchange}.271` })).toBeVisible();
    await screenshot(page, "settings-clearinghouse-imported", { phone: true });
    // The same file again: refused, nothing changes.
    await page.getByLabel("File", { exact: true }).setInputFiles({
      name: `eligibility-${interchange}.271`,
      mimeType: "text/plain",
      buffer: Buffer.from(answer),
    });
    await page.getByRole("button", { name: "Import" }).click();
    await expect(fieldError(page, "clearinghouse-file")).toContainText("already imported");

    await page.goto(`/app/patients/${patientId}`);
    await expect(primary.getByTestId("eligibility-check")).toContainText("Active coverage");
    await expect(primary.getByTestId("coverage-benefits")).toContainText("from an eligibility check");
    await screenshot(page, "patient-eligibility-answered", { phone: true });
  });

  test("a viewer (of the demo clinic) reads the insurance settings without a way to change them", async ({ browser }) => {
    const viewer = await browser.newContext({
      storageState: storageStatePath("viewer"),
    });
    const page = await viewer.newPage();
    await page.goto("/app/settings/practice");
    await expect(page.getByTestId("practice-read-only")).toBeVisible();
    await expect(page.getByLabel("NPI")).toBeDisabled();
    await expect(page.getByRole("button", { name: "Save practice details" })).toHaveCount(0);
    await page.goto("/app/settings/payers");
    await expect(page.getByTestId("payers-read-only")).toBeVisible();
    await expect(page.getByRole("button", { name: /Add payer|Edit/ })).toHaveCount(0);
    await page.goto("/app/settings/clearinghouse");
    await expect(page.getByTestId("clearinghouse-read-only")).toBeVisible();
    await expect(page.getByRole("button", { name: "Import" })).toHaveCount(0);
    await viewer.close();
  });
});
