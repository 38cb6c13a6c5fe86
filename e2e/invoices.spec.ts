import { devices, type Page } from "@playwright/test";
import { createDemoApiKey, expect, storageStatePath, testAs, toast } from "./fixtures";

const test = testAs("billing");

/** What the billing flow leaves behind for the read-only checks that follow it. */
const created = { patientName: "", patientPath: "", invoicePath: "", invoiceNumber: "" };

async function createPatient(page: Page, lastName: string) {
  await page.goto("/app/patients");
  await page.getByRole("link", { name: "New patient" }).first().click();
  await page.getByRole("button", { name: "Create patient" }).click();
  await expect(page.getByText("Enter a first name.")).toBeVisible();
  await expect(page.getByText("Enter a last name.")).toBeVisible();

  await page.getByLabel("First name").fill("Jamie");
  await page.getByLabel("Last name").fill(lastName);
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Create patient" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();

  await page.getByLabel("Email").fill(`jamie.${lastName.toLowerCase()}@example.test`);
  await page.getByLabel("Phone").fill("+1 503 555 0100");
  await page.getByLabel("Date of birth").fill("1985-04-12");
  await page.getByRole("button", { name: "Create patient" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Jamie ${lastName}`);
}

test.describe.serial("billing a patient", () => {
  test("staff create a patient and an invoice with live totals, save it and finalize it", async ({ page }) => {
    test.slow(); // Three forms, two server round trips each, then four pages.
    const lastName = `Rivera${Date.now().toString(36)}`;
    await createPatient(page, lastName);
    created.patientName = `Jamie ${lastName}`;
    created.patientPath = new URL(page.url()).pathname;

    await page.getByRole("link", { name: "New invoice" }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("New invoice");
    const lines = page.getByTestId("invoice-line");
    const total = page.getByTestId("invoice-total");
    await expect(total).toHaveText("$0.00");

    await lines.nth(0).getByLabel("Description").fill("Office visit, established patient");
    await lines.nth(0).getByLabel("Service code").fill("99213");
    await lines.nth(0).getByLabel("Unit price").fill("120.00");
    await expect(total).toHaveText("$120.00");
    await lines.nth(0).getByLabel("Quantity").fill("2");
    await expect(lines.nth(0).getByTestId("invoice-line-amount")).toHaveText("$240.00");
    await expect(total).toHaveText("$240.00");

    await page.getByRole("button", { name: "Add line" }).click();
    await expect(lines.nth(1).getByLabel("Description")).toBeFocused();
    await lines.nth(1).getByLabel("Description").fill("Flu vaccine");
    await lines.nth(1).getByLabel("Unit price").fill("35.505");
    await expect(lines.nth(1).getByText("Enter an amount like 120.00.")).toBeVisible();
    await lines.nth(1).getByLabel("Unit price").fill("35.50");
    await expect(lines.nth(1).getByText("Enter an amount like 120.00.")).toBeHidden();
    await lines.nth(1).getByLabel("Tax-exempt").check();

    // 8.25% on the taxable line only: 240.00 × 8.25% = 19.80; 240.00 + 35.50 + 19.80 = 295.30.
    await page.getByLabel("Tax rate (%)").fill("8.25");
    await expect(page.getByTestId("invoice-subtotal")).toHaveText("$275.50");
    await expect(page.getByTestId("invoice-tax")).toHaveText("$19.80");
    await expect(total).toHaveText("$295.30");

    // Reorder from the keyboard: focus stays on the moved line's controls.
    await page.getByRole("button", { name: "Move line 2 up" }).focus();
    await page.keyboard.press("Enter");
    await expect(lines.nth(0).getByLabel("Description")).toHaveValue("Flu vaccine");
    await expect(page.getByRole("button", { name: "Move line 1 down" })).toBeFocused();

    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page).toHaveURL(/\/app\/invoices\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Draft invoice");
    await expect(page.getByTestId("invoice-total")).toHaveText("$295.30");
    await expect(page.getByRole("cell", { name: "Flu vaccine" })).toBeVisible();

    await page.getByRole("button", { name: "Finalize", exact: true }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Finalize invoice" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/INV-\d{5}/);
    const heading = await page.getByRole("heading", { level: 1 }).innerText();
    created.invoiceNumber = /INV-\d{5}/.exec(heading)?.[0] ?? "";
    created.invoicePath = new URL(page.url()).pathname;
    await expect(page.getByTestId("invoice-balance")).toHaveText("$295.30");
    await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Download PDF" })).toHaveAttribute("href", `${created.invoicePath}/pdf`);
    await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);

    await page.getByRole("link", { name: created.patientName }).first().click();
    await expect(page.getByRole("link", { name: created.invoiceNumber })).toBeVisible();
    await expect(page.getByTestId("patient-balance")).toHaveText("$295.30");

    await page.goto(`/app/invoices?number=${created.invoiceNumber}`);
    await expect(page.getByRole("link", { name: created.invoiceNumber })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: created.invoiceNumber })).toContainText(created.patientName);
  });

  test("staff download the PDF and send the invoice; the email waits in the mailbox; the patient pays from its link", async ({ page, browser }) => {
    test.slow(); // Three browsers: staff, the admin's mailbox and the patient's phone paying by card.
    const pdf = await page.request.get(`${created.invoicePath}/pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

    await page.goto(created.invoicePath);
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Send invoice" }).click();
    await expect(page.getByRole("button", { name: "Resend" })).toBeVisible();

    const admin = await browser.newContext({ storageState: storageStatePath("admin") });
    const mailbox = await admin.newPage();
    await mailbox.goto("/app/mailbox");
    const subject = `Invoice ${created.invoiceNumber} from Sunrise Family Clinic`;
    await expect(mailbox.getByRole("link", { name: subject })).toBeVisible();
    await mailbox.getByRole("link", { name: subject }).click();
    const payLink = mailbox.frameLocator("iframe").getByRole("link", { name: "Pay online" });
    const href = await payLink.getAttribute("href");
    // A short link (12 base62 characters resolving to the signed link row), not the long signed token.
    expect(href).toMatch(/\/pay\/[A-Za-z0-9]{12}$/);
    await admin.close();

    const { defaultBrowserType: _browser, ...phone } = devices["Pixel 7"];
    const patient = await browser.newContext({ ...phone });
    const payPage = await patient.newPage();
    await payPage.goto(new URL(href!).pathname);
    await expect(payPage.getByTestId("balance-due")).toHaveText("$295.30");
    await payPage.getByRole("button", { name: "Continue to payment" }).click();
    await payPage.getByLabel("Card number").fill("4242 4242 4242 4242");
    await payPage.getByLabel("Expiration date").fill("12 / 34");
    await payPage.getByLabel("Security code").fill("123");
    await payPage.getByLabel("ZIP / Postal code").fill("97205");
    await payPage.getByRole("button", { name: "Pay $295.30" }).click();
    await expect(payPage.getByRole("heading", { name: "Payment received" })).toBeVisible();
    await patient.close();

    await page.goto(created.invoicePath);
    await expect(page.getByTestId("invoice-balance")).toHaveText("$0.00");
    await expect(page.getByText("Visa •••• 4242")).toBeVisible();
    await expect(page.getByText("Only open invoices can be paid online.")).toBeVisible();
  });

  test("a viewer sees the patient and the invoice but no write actions", async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStatePath("viewer") });
    const page = await context.newPage();

    await page.goto("/app/patients");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Patients");
    await expect(page.getByRole("link", { name: "New patient" })).toHaveCount(0);

    await page.goto(created.patientPath);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(created.patientName);
    await expect(page.getByRole("link", { name: created.invoiceNumber })).toBeVisible();
    for (const name of ["New invoice", "Edit"]) await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Archive" })).toHaveCount(0);

    await page.goto(created.invoicePath);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(created.invoiceNumber);
    await expect(page.getByRole("link", { name: "Download PDF" })).toBeVisible();
    for (const name of ["Send", "Void", "Mark uncollectible", "Finalize"]) await expect(page.getByRole("button", { name })).toHaveCount(0);

    await page.goto("/app/invoices");
    await expect(page.getByRole("link", { name: "New invoice" })).toHaveCount(0);
    expect((await page.goto("/app/invoices/new"))?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You don't have access to this page");
    expect((await page.goto(`${created.invoicePath}/edit`))?.status()).toBe(403);
    await context.close();
  });
});

test("a draft's lines and totals are edited on a phone", async ({ browser }) => {
  const { defaultBrowserType: _browser, ...phone } = devices["Pixel 7"];
  const context = await browser.newContext({ ...phone, storageState: storageStatePath("billing") });
  const page = await context.newPage();
  await createPatient(page, `Okafor${Date.now().toString(36)}`);
  await page.getByRole("link", { name: "New invoice" }).first().click();
  const line = page.getByTestId("invoice-line").first();
  await line.getByLabel("Description").fill("Lab panel");
  await line.getByLabel("Unit price").fill("1,250");
  await page.getByLabel("Discount", { exact: true }).selectOption("percent");
  await page.getByLabel("Discount percent").fill("10");
  await expect(page.getByTestId("invoice-discount")).toHaveText("−$125.00");
  await expect(page.getByTestId("invoice-total")).toHaveText("$1,125.00");
  await page.getByLabel("Payment terms").selectOption("custom");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Choose a due date.")).toBeVisible();
  await page.getByLabel("Due date").fill("2099-01-31");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Draft invoice");
  await expect(page.getByTestId("invoice-total")).toHaveText("$1,125.00");

  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page.getByTestId("invoice-line").first().getByLabel("Unit price")).toHaveValue("1250.00");
  await page.getByTestId("invoice-line").first().getByLabel("Quantity").fill("3");
  await expect(page.getByTestId("invoice-total")).toHaveText("$3,375.00");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("invoice-total")).toHaveText("$3,375.00");
  await context.close();
});

test("staff find a patient by search, archive them (hidden, not billable) and restore them", async ({ page }) => {
  test.slow(); // A new patient's form, then eight pages and two dialogs.
  const lastName = `Lindqvist${Date.now().toString(36)}`;
  await createPatient(page, lastName);
  const patientPath = new URL(page.url()).pathname;

  await page.goto("/app/patients");
  await page.getByRole("searchbox", { name: "Search patients" }).fill(lastName);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]q=${lastName}`));
  await expect(page.getByRole("link", { name: `${lastName}, Jamie` })).toBeVisible();

  await page.goto(patientPath);
  await page.getByRole("button", { name: "Archive" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Archive patient" }).click();
  await expect(page.getByText("This patient is archived")).toBeVisible();
  await expect(page.getByRole("link", { name: "New invoice" })).toHaveCount(0);

  await page.goto(`/app/patients?q=${lastName}`);
  await expect(page.getByText(`No patients match “${lastName}”`)).toBeVisible();
  await page.getByLabel("Show archived").check();
  await expect(page).toHaveURL(/archived=1/);
  await expect(page.getByRole("row").filter({ hasText: lastName })).toContainText("Archived");

  await page.goto(`/app/invoices/new?patientId=${patientPath.split("/").pop()}`);
  await expect(page.getByText(`Jamie ${lastName} is archived`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Save draft" })).toHaveCount(0);

  await page.goto(patientPath);
  await page.getByRole("button", { name: "Restore" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Restore patient" }).click();
  await expect(page.getByRole("link", { name: "New invoice" }).first()).toBeVisible();
});

/** A draft for a new patient, made through the REST API as an EHR would. */
async function draftThroughApi(playwright: import("@playwright/test").PlaywrightWorkerArgs["playwright"], baseURL: string | undefined, lastName: string) {
  const secret = await createDemoApiKey(`Invoices e2e ${lastName}`);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const { id: patientId } = await (
    await api.post("/api/v1/patients", { data: { firstName: "Quinn", lastName, email: `quinn.${lastName.toLowerCase()}@example.test` } })
  ).json();
  const { id: invoiceId } = await (
    await api.post("/api/v1/invoices", { data: { patientId, lines: [{ description: "New patient visit", quantity: 1, unitAmount: 14_000 }] } })
  ).json();
  await api.dispose();
  return invoiceId as string;
}

test("Finalize and send in one step: the draft is numbered and open, and the email waits in the mailbox; Void sits in More", async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  test.slow(); // An API key from the CLI, the admin's mailbox in a second browser.
  const lastName = `Sendnow${Date.now().toString(36)}`;
  const invoiceId = await draftThroughApi(playwright, baseURL, lastName);

  await page.goto(`/app/invoices/${invoiceId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Draft invoice");
  await expect(page.getByRole("button", { name: "Finalize", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Finalize and send" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`quinn.${lastName.toLowerCase()}@example.test`);
  await dialog.getByRole("button", { name: "Finalize and send" }).click();

  await expect(toast(page, /Invoice INV-\d{5} finalized and emailed to/)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/INV-\d{5}/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Open");
  const number = /INV-\d{5}/.exec(await page.getByRole("heading", { level: 1 }).innerText())![0];
  await expect(page.getByRole("button", { name: "Resend" })).toBeVisible();
  await expect(page.getByTestId("invoice-sent")).not.toContainText("Not sent yet");

  // Void and write-off are in "More", away from Send, and still ask for a reason.
  await expect(page.getByRole("button", { name: "Void" })).toHaveCount(0);
  await page.getByRole("button", { name: "More actions" }).click();
  await expect(page.getByRole("menuitem", { name: "Void invoice…" })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: "Mark uncollectible…" })).toBeVisible();
  const dir = process.env.CAREBILL_SCREENSHOTS;
  if (dir) {
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${dir}/desk-invoice-more-menu-desktop.png` });
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "More actions" }).click();
    await expect(page.getByRole("menuitem", { name: "Void invoice…" })).toBeVisible();
    await page.waitForTimeout(300); // the menu's opening animation, for the picture only
    await page.screenshot({ path: `${dir}/desk-invoice-more-menu-phone.png` });
    await page.setViewportSize({ width: 1280, height: 720 });
  }
  await page.getByRole("menuitem", { name: "Void invoice…" }).click();
  const voidDialog = page.getByRole("dialog");
  await expect(voidDialog.getByRole("heading", { name: `Void ${number}?` })).toBeVisible();
  await voidDialog.getByRole("button", { name: "Cancel" }).click();
  await expect(voidDialog).toBeHidden();
  await expect(page.getByRole("button", { name: "More actions" })).toBeFocused();

  const admin = await browser.newContext({ storageState: storageStatePath("admin") });
  const mailbox = await admin.newPage();
  await mailbox.goto("/app/mailbox");
  await expect(mailbox.getByRole("link", { name: `Invoice ${number} from Sunrise Family Clinic` })).toBeVisible();
  await admin.close();
});

test("a draft never finalized can be deleted from More; staff land on the list with a toast", async ({ page, playwright, baseURL }) => {
  test.slow(); // An API key from the CLI.
  const invoiceId = await draftThroughApi(playwright, baseURL, `Dropdraft${Date.now().toString(36)}`);
  await page.goto(`/app/invoices/${invoiceId}`);
  await page.getByRole("button", { name: "More actions" }).click();
  await page.getByRole("menuitem", { name: "Delete draft…" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("no invoice number is lost");
  await dialog.getByRole("button", { name: "Delete draft" }).click();
  await expect(page).toHaveURL(/\/app\/invoices$/);
  await expect(toast(page, "Draft deleted.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  // Gone: the page streams the not-found page (after a loading skeleton, so the status is already sent).
  await page.goto(`/app/invoices/${invoiceId}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We couldn't find that page");
});
