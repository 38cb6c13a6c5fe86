import nodemailer from "nodemailer";
import type { MailAddress } from "./mail-sender";

export type EmailAttachmentFile = { filename: string; content: Buffer; contentType: string };

export type OutgoingEmail = {
  from: MailAddress;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per email row, so a receiver can tell a redelivery from a new message. */
  messageId: string;
  attachments: EmailAttachmentFile[];
};

export type MailTransport = {
  /** Stored on the email row as `transport`. */
  name: "smtp" | "mailbox";
  /** Whether `send` needs the attachments rendered (the mailbox page links to them instead). */
  needsAttachments: boolean;
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
};

/**
 * Delivers through an SMTP server (nodemailer). Timeouts keep one attempt well under the
 * minute before a claimed email may be claimed again (see deliverQueuedEmails).
 */
export function createSmtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  return {
    name: "smtp",
    needsAttachments: true,
    async send(email) {
      const info = await transporter.sendMail({
        from: email.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        attachments: email.attachments,
      });
      return { messageId: info.messageId };
    },
  };
}

/** Demo mode (no SMTP_URL): nothing leaves the server; the email is read in the admin mailbox. */
export const mailboxTransport: MailTransport = {
  name: "mailbox",
  needsAttachments: false,
  send: async (email) => ({ messageId: email.messageId }),
};

/** SMTP when SMTP_URL is set, otherwise the demo mailbox. */
export function mailTransportFor(smtpUrl: string | undefined): MailTransport {
  return smtpUrl ? createSmtpTransport(smtpUrl) : mailboxTransport;
}
