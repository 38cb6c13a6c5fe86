import { crc32, deflateSync } from "node:zlib";
import { devices } from "@playwright/test";
import { createDemoApiKey, expect, screenshot, testAs, toast } from "./fixtures";
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

/** A real PNG (an orange sun on transparent ground), made here so the test needs no fixture file. */
function sunLogoPng(size = 96): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - size / 2, y - size / 2);
      const angle = Math.atan2(y - size / 2, x - size / 2);
      const ray = distance < size * 0.48 && distance > size * 0.34 && Math.abs(Math.sin(angle * 6)) > 0.8;
      if (distance < size * 0.28 || ray) row.set([245, 158, 11, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("the clinic's phone, email, website and logo reach the pay page and its error pages", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await page.goto("/app/settings");
  await page.getByLabel("Phone").fill("555-0100");
  await page.getByLabel("Website").fill("http://sunrisefamily.example");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Enter a valid phone number with its area code")).toBeVisible();
  await expect(page.getByText("Enter the website's https:// address")).toBeVisible();
  await page.getByLabel("Phone").fill("503.555.0142");
  await page.getByLabel("Email", { exact: true }).fill("billing@sunrisefamily.example");
  await page.getByLabel("Website").fill("sunrisefamily.example");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Clinic details saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Phone")).toHaveValue("(503) 555-0142");
  await expect(page.getByLabel("Website")).toHaveValue("https://sunrisefamily.example");

  // The logo: an SVG is refused by the browser check, a PNG renamed as a JPEG by the server's byte check, a real PNG is kept.
  const logoInput = page.getByLabel(/Upload a logo|Replace the logo/);
  await logoInput.setInputFiles({ name: "logo.svg", mimeType: "image/svg+xml", buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
  await page.getByRole("button", { name: "Upload logo" }).click();
  await expect(page.getByText("SVG logos are not accepted")).toBeVisible();
  await logoInput.setInputFiles({ name: "logo.jpg", mimeType: "image/jpeg", buffer: sunLogoPng() });
  await page.getByRole("button", { name: "Upload logo" }).click();
  await expect(page.getByText("The file's contents do not match its type")).toBeVisible();
  await logoInput.setInputFiles({ name: "sun.png", mimeType: "image/png", buffer: sunLogoPng() });
  await page.getByRole("button", { name: "Upload logo" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Logo saved." })).toBeVisible();
  const logo = page.getByTestId("settings-logo");
  await expect(logo).toBeVisible();
  const served = await page.request.get((await logo.getAttribute("src"))!);
  expect(served.headers()["content-type"]).toBe("image/png");
  expect(served.headers()["x-content-type-options"]).toBe("nosniff");
  await screenshot(page, "clinic-settings", { phone: true });

  // A patient's pay page shows the logo and how to reach the clinic; a replaced link names the clinic and its phone.
  const key = await createDemoApiKey(`clinic-e2e-${Date.now()}`);
  const api = page.request;
  const headers = { authorization: `Bearer ${key}` };
  const patient = await (
    await api.post("/api/v1/patients", { headers, data: { firstName: "Rosa", lastName: `Contact${Date.now()}`, email: "rosa@example.test" } })
  ).json();
  const invoice = await (
    await api.post("/api/v1/invoices", { headers, data: { patientId: patient.id, lines: [{ description: "Office visit", quantity: 1, unitAmount: 9_500 }] } })
  ).json();
  const finalized = await api.post(`/api/v1/invoices/${invoice.id}/finalize`, { headers });
  expect(finalized.status()).toBe(200);
  const { number } = (await finalized.json()) as { number: string };
  const first = new URL((await (await api.post(`/api/v1/invoices/${invoice.id}/payment-link`, { headers })).json()).url).pathname;
  const second = new URL((await (await api.post(`/api/v1/invoices/${invoice.id}/payment-link`, { headers })).json()).url).pathname;

  const { defaultBrowserType: _phoneBrowser, ...pixel } = devices["Pixel 7"];
  const patientContext = await browser.newContext({ ...pixel, storageState: { cookies: [], origins: [] } });
  const payPage = await patientContext.newPage();
  await payPage.goto(second);
  const contact = payPage.getByRole("banner").getByTestId("clinic-contact");
  await expect(contact.getByRole("link", { name: "(503) 555-0142" })).toHaveAttribute("href", "tel:+15035550142");
  await expect(contact.getByRole("link", { name: "billing@sunrisefamily.example" })).toHaveAttribute("href", "mailto:billing@sunrisefamily.example");
  await expect(payPage.getByTestId("clinic-logo")).toBeVisible();
  expect(await payPage.getByTestId("clinic-logo").evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(96);
  await screenshot(payPage, "clinic-pay-page", { phone: true });

  await payPage.goto(first);
  await expect(payPage.getByRole("heading", { level: 1 })).toHaveText("This payment link is no longer active");
  await expect(payPage.getByRole("main")).toContainText("Sunrise Family Clinic has replaced or withdrawn it.");
  await expect(payPage.getByRole("main").getByRole("link", { name: "(503) 555-0142" })).toBeVisible();
  await screenshot(payPage, "clinic-revoked-link", { phone: true });

  // A link that names no clinic says so plainly.
  await payPage.goto("/pay/not-a-real-link");
  await expect(payPage.getByRole("heading", { level: 1 })).toHaveText("This payment link isn't valid");
  await expect(payPage.getByRole("main")).toContainText("we can't tell which clinic it is from");
  await patientContext.close();

  // The invoice email carries the clinic's number.
  expect((await api.post(`/api/v1/invoices/${invoice.id}/send`, { headers })).status()).toBe(200);
  await page.goto("/app/mailbox");
  await page
    .getByRole("link", { name: `Invoice ${number} from Sunrise Family Clinic` })
    .first()
    .click();
  await expect(page.getByText("Shown as the patient sees it.")).toBeVisible();
  await expect(page.frameLocator("iframe").getByText("call Sunrise Family Clinic at (503) 555-0142")).toBeVisible();
  await screenshot(page, "clinic-invoice-email", { phone: true });
});

test("the audit log shows the clinic's time with its zone, and the exact instant on hover", async ({ page }) => {
  await page.goto("/app/settings/audit-log");
  await expect(page.getByRole("columnheader", { name: "When" })).toBeVisible();
  const first = page.getByRole("row").nth(1).locator("time");
  // The demo clinic is in America/Los_Angeles: Pacific time, standard or daylight.
  await expect(first).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M P[SD]T$/);
  const instant = await first.getAttribute("datetime");
  expect(instant).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  await expect(first).toHaveAttribute("title", instant!);
  const shown = new Intl.DateTimeFormat("en-US", { timeZone: "America/Los_Angeles", hour: "numeric", minute: "2-digit", second: "2-digit" }).format(
    new Date(instant!),
  );
  await expect(first).toContainText(shown);
  await screenshot(page, "clinic-audit-log", { phone: true });
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
