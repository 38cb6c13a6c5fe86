import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import AxeBuilder from "@axe-core/playwright";
import { test, type BrowserContext, type Page } from "@playwright/test";
import { e2eScriptEnv, expect, screenshot, signInThroughApi, toast } from "./fixtures";

const run = promisify(execFile);
const script = async (file: string, ...args: string[]) =>
  (await run(process.execPath, ["--import", "tsx", file, ...args], { env: e2eScriptEnv() })).stdout.trim();

// A clinic of this file's own (e2e/create-clinic.ts, e2e/seed-claims-clinic.ts): its practice
// profile, payers and clearinghouse ids are its own, and the demo's other specs never see its claims.
type Clinic = { slug: string; adminEmail: string; password: string };
let clinic: Clinic;
let seeded: { patientId: string; patientName: string; payerName: string; payerId: string };
let staff: BrowserContext;
let workDir: string;

test.beforeAll(async ({ browser, baseURL }) => {
  const slug = `claims-${Date.now().toString(36)}`;
  clinic = JSON.parse(await script("e2e/create-clinic.ts", slug)) as Clinic;
  seeded = JSON.parse(await script("e2e/seed-claims-clinic.ts", slug)) as typeof seeded;
  staff = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await signInThroughApi(staff.request, clinic.adminEmail, clinic.password);
  workDir = await mkdtemp(join(tmpdir(), "carebill-claims-"));
});
test.afterAll(async () => {
  await staff?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/**
 * The pages this flow reaches with its own records (a visit, a claim in several states), checked by
 * axe as e2e/accessibility.spec.ts checks the others (which has no clinic with insurance billing).
 */
async function expectAccessible(page: Page) {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const violations = results.violations.map(
    (violation) => `${violation.id}: ${violation.help} → ${violation.nodes.map((node) => node.target.join(" ")).join(" | ")}`,
  );
  expect(violations, `axe found WCAG 2.1 AA violations on ${page.url()}:\n${violations.join("\n")}`).toEqual([]);
}

/** Imports a clearinghouse file through the claims page's upload and waits for its summary. */
async function importFile(page: Page, path: string, kind: string) {
  await page.goto("/app/claims");
  // The upload is read by the page's script: a click before it has loaded would submit the bare form.
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Response file").setInputFiles(path);
  await page.getByRole("button", { name: "Import file" }).click();
  await expect(page.getByTestId("import-summary")).toContainText(`${kind} imported`);
}

test("staff add the patient's coverage, record a visit's charges, create the claim, validate, submit it and see the clearinghouse accept it", async () => {
  test.slow(); // A dozen pages, two scripts and two imports on a busy machine.
  const page = await staff.newPage();

  // The patient's page: no insurance yet. The card's primary coverage, in force since January.
  await page.goto(`/app/patients/${seeded.patientId}`);
  const insurance = page.getByTestId("patient-insurance");
  await expect(insurance.getByText("No insurance on file")).toBeVisible();
  await insurance.getByRole("button", { name: "Add coverage" }).click();
  const coverageDialog = page.getByRole("dialog", { name: "Add a coverage" });
  await coverageDialog.getByLabel("Payer").selectOption({ label: `${seeded.payerName} (${seeded.payerId})` });
  await coverageDialog.getByLabel("Priority").selectOption({ label: "Primary" });
  await coverageDialog.getByLabel("Member id").fill("W123456789");
  await coverageDialog.getByLabel("Group number").fill("GRP1001");
  await coverageDialog.getByLabel("Effective from").fill(`${new Date().getUTCFullYear()}-01-01`);
  await coverageDialog.getByRole("button", { name: "Add coverage" }).click();
  await expect(toast(page, "Coverage added.")).toBeVisible();
  const coverage = insurance.getByTestId("coverage").filter({ hasText: seeded.payerName });
  await expect(coverage).toContainText("Primary");
  await expect(coverage).toContainText("In force");

  // No visits yet, and the way to record one.
  const visits = page.getByTestId("patient-visits");
  await expect(visits).toContainText("No visits recorded");
  await visits.getByRole("link", { name: "Record a visit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Record a visit" })).toBeVisible();

  // Diagnoses: an ICD-9 code is refused inline, in words, as soon as the field is left.
  await page.getByRole("textbox", { name: "Diagnosis 1", exact: true }).fill("E11.9");
  await page.getByRole("button", { name: "Add diagnosis" }).click();
  const second = page.getByRole("textbox", { name: "Diagnosis 2", exact: true });
  await expect(second).toBeFocused();
  await second.fill("250.00");
  await second.blur();
  await expect(page.getByText("250.00 looks like an ICD-9 code; claims use ICD-10-CM codes such as E11.9.")).toBeVisible();
  await expect(second).toHaveAttribute("aria-invalid", "true");
  await second.fill("I10");
  await expect(page.getByText(/looks like an ICD-9 code/)).toHaveCount(0);

  // Line 1: an office visit treating both diagnoses (pointer chips, in order).
  const line1 = page.getByTestId("service-line").nth(0);
  await line1.getByLabel("Code").fill("99213");
  await line1.getByLabel("Modifiers").fill("25");
  await line1.getByLabel(/^Charge/).fill("135.00");
  await expect(line1.getByRole("button", { name: /^Diagnosis 1 E11\.9 ?, pointer 1$/ })).toHaveAttribute("aria-pressed", "true");
  await line1.getByRole("button", { name: /^Diagnosis 2 I10$/ }).click();
  await expect(line1.getByRole("button", { name: /^Diagnosis 2 I10 ?, pointer 2$/ })).toHaveAttribute("aria-pressed", "true");

  // A pointer to a diagnosis that is then removed: the line says so, and the visit is not saved with it.
  await page.getByRole("button", { name: "Add diagnosis" }).click();
  await page.getByRole("textbox", { name: "Diagnosis 3", exact: true }).fill("Z00.00");
  await line1.getByRole("button", { name: /^Diagnosis 3 Z00\.00$/ }).click();
  await page.getByRole("button", { name: "Remove diagnosis 3" }).click();
  await expect(line1.getByText("This line points to a diagnosis that was removed: choose another, or remove that pointer.")).toBeVisible();
  await page.getByRole("button", { name: "Record visit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Record a visit" })).toBeVisible();
  await expect(line1.getByText(/points to a diagnosis that was removed/)).toBeVisible();
  await line1.getByRole("button", { name: "Remove the pointer to a removed diagnosis" }).click();
  await expect(line1.getByText(/points to a diagnosis that was removed/)).toHaveCount(0);

  // Line 2: a blood draw for diagnosis 1; the total follows.
  await page.getByRole("button", { name: "Add line" }).click();
  const line2 = page.getByTestId("service-line").nth(1);
  await expect(line2.getByLabel("Code")).toBeFocused();
  await line2.getByLabel("Code").fill("36415");
  await line2.getByLabel(/^Charge/).fill("20");
  await expect(page.getByTestId("charges-total")).toHaveText("$155.00");
  await expectAccessible(page);
  await screenshot(page, "claims-record-visit", { phone: true });

  await page.getByRole("button", { name: "Record visit" }).click();
  await expect(toast(page, "Visit recorded.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: /^Visit of / })).toBeVisible();
  await expect(page.getByTestId("service-lines")).toContainText("99213");
  await expect(page.getByTestId("lines-total")).toHaveText("$155.00");
  await expectAccessible(page);
  await screenshot(page, "claims-visit", { phone: true });

  // The claim: a draft for the primary coverage added above, in force on the date of service.
  await page.getByRole("button", { name: "Create claim" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^CLM-\d{6}/ })).toBeVisible();
  const status = page.getByRole("heading", { level: 1 }).getByTestId("claim-status");
  await expect(status).toHaveText("Draft");
  const claimUrl = page.url();
  const displayNumber = (await page.getByRole("heading", { level: 1 }).innerText()).match(/CLM-\d{6}/)![0];
  await expect(page.getByTestId("claim-facts")).toContainText(seeded.payerName);

  // Validation names what is missing, in words, and links to where it is fixed; the claim stays a draft.
  await page.getByRole("button", { name: "Validate" }).click();
  const problems = page.getByTestId("claim-problems");
  await expect(problems.getByRole("link", { name: /The practice has no NPI/ })).toHaveAttribute("href", "/app/settings/practice");
  await expect(status).toHaveText("Draft");
  await expectAccessible(page);
  await screenshot(page, "claims-claim-problems", { phone: true });

  // Fixed (the practice profile saved, as Settings → Practice does), validated again: ready.
  await script("e2e/seed-claims-clinic.ts", clinic.slug, "practice");
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(status).toHaveText("Ready to submit");
  await expect(problems).toHaveCount(0);
  await expect(page.getByTestId("claim-history")).toContainText("Validated");

  // The work list: the ready claim selected and submitted; the 837 is downloaded (manual connection).
  await page.goto("/app/claims?tab=ready");
  await expect(page.getByRole("link", { name: /^Ready to submit/ })).toContainText("1");
  await page.getByRole("checkbox", { name: `Select ${displayNumber}` }).check();
  await screenshot(page, "claims-work-list-ready", { phone: true });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Submit and download 837" }).click()]);
  const file837 = join(workDir, "claims.837");
  await download.saveAs(file837);
  const x12 = await readFile(file837, "utf8");
  expect(x12).toMatch(/^ISA\*/);
  expect(x12).toMatch(new RegExp(`CLM\\*${displayNumber}\\*155(\\.00?)?\\*`));
  expect(x12).toMatch(/HI\*ABK:E119\*ABF:I10/);
  // The coverage as entered on the patient's page: subscriber (self) with the member id, and the group number.
  expect(x12).toMatch(/SBR\*P\*18\*GRP1001\*/);
  expect(x12).toMatch(/NM1\*IL\*1\*Claimsworth\*Jordan\*{4}MI\*W123456789~/);
  await expect(toast(page, /submitted/)).toBeVisible();

  await page.goto(claimUrl);
  await expect(status).toHaveText("Submitted");
  await expect(page.getByTestId("claim-batches").getByRole("link")).toHaveAttribute("href", /^\/app\/claims\/batches\/[0-9a-f-]+\/file$/);

  // The clearinghouse answers (the emulator's rules, on the file as sent): a 999, then a 277CA.
  const answers = JSON.parse(await script("e2e/clearinghouse-answer.ts", file837, workDir)) as { "999": string; "277CA": string };
  await importFile(page, answers["999"], "999");
  await page.goto(claimUrl);
  await expect(status).toHaveText("Submitted");
  await importFile(page, answers["277CA"], "277CA");
  await expect(page.getByTestId("import-summary").getByRole("link").first()).toHaveAttribute("href", new URL(claimUrl).pathname);
  await screenshot(page, "claims-import", { phone: true });

  await page.goto(claimUrl);
  await expect(status).toHaveText("Accepted");
  await expect(page.getByTestId("claim-history")).toContainText("Accepted");
  await expect(page.getByTestId("claim-facts")).toContainText(/PCN\d+/);
  await expectAccessible(page);
  await screenshot(page, "claims-claim-accepted", { phone: true });

  await page.goto("/app/claims");
  await expect(page.getByRole("link", { name: /^Accepted/ })).toContainText("1");
  await expect(page.getByTestId("claim-row").filter({ hasText: displayNumber })).toContainText("Accepted");
  await expectAccessible(page);
  await screenshot(page, "claims-work-list", { phone: true });

  // The patient's page lists the visit with its claim's state.
  await page.goto(`/app/patients/${seeded.patientId}`);
  await expect(page.getByTestId("patient-visit")).toContainText(displayNumber);
  await expect(page.getByTestId("patient-visit")).toContainText("Accepted");
});
