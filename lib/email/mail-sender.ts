const DEFAULT_SENDER_ADDRESS = "billing@carebill.local";
const NAMED_ADDRESS = /^\s*(.+?)\s*<([^\s<>@]+@[^\s<>@]+)>\s*$/;

export type MailAddress = { name: string; address: string };

/**
 * Who an organization's email comes from. MAIL_FROM with a name ("Billing <billing@x.test>") is
 * used as given; a bare address, or none (billing@carebill.local), is shown as
 * "<clinic name> via Carebill", so patients see which clinic wrote.
 */
export function mailSender(options: { organizationName: string; mailFrom?: string }): MailAddress {
  const named = options.mailFrom ? NAMED_ADDRESS.exec(options.mailFrom) : null;
  if (named) return { name: named[1]!.replace(/^"(.*)"$/, "$1"), address: named[2]! };
  return { name: `${options.organizationName} via Carebill`, address: options.mailFrom?.trim() || DEFAULT_SENDER_ADDRESS };
}
