import type { Browser } from "@playwright/test";
import { expect, storageStatePath } from "./fixtures";

/** The invitation link emailed to `email`, read from the demo clinic's mailbox as its admin. */
export async function invitationLinkFor(browser: Browser, email: string): Promise<string> {
  const admin = await browser.newContext({ storageState: storageStatePath("admin") });
  try {
    const mailbox = await admin.newPage();
    await mailbox.goto("/app/mailbox");
    await mailbox
      .getByRole("row")
      .filter({ hasText: email })
      .getByRole("link", { name: /^Invitation to join/ })
      .click();
    const link = mailbox.frameLocator("iframe").getByRole("link", { name: "Accept the invitation" });
    await expect(link).toHaveAttribute("href", /\/invite\/[\w-]+$/);
    return new URL((await link.getAttribute("href"))!).pathname;
  } finally {
    await admin.close();
  }
}
