import type { Tx } from "@/lib/db/client";
import { clinicEmailLogoHtml, clinicEmailSignature } from "@/lib/email/clinic-email-parts";
import { formatCalendarDate } from "@/lib/dates/format-date";
import { formatMoney } from "@/lib/money/currency";
import { getClinicContact, howToReach } from "@/lib/organizations/clinic-contact";
import { escapeHtml } from "@/lib/utils/escape-html";

export type AutopayEmail =
  | { kind: "autopay_reminder"; amount: number; currency: string; dueDate: string; link: string | null; cardLink: string | null }
  | { kind: "autopay_failed"; amount: number; currency: string; link: string | null; cardLink: string | null; willRetryOn: string | null }
  /** `link` is the patient's card link (lib/card-links). */
  | { kind: "autopay_card_link"; amount: number; currency: string; link: string | null }
  /** A membership started without a card: `link` is the patient's card link. */
  | { kind: "membership_card_link"; amount: number; currency: string; interval: "monthly" | "yearly"; link: string | null }
  /** A membership set to end: the last day it covers (the day before its period's end), or today when it ended now. */
  | { kind: "membership_canceled"; lastDay: string; endedNow: boolean };

/**
 * The patient's autopay emails, in neutral words (an amount, a date and the clinic: no visit, no
 * treatment, nothing medical): a reminder before a scheduled charge (pay early, change the card),
 * a failed charge (the card link to add or replace the card, and the pay page), a plan started
 * without a card (the card link); a membership started without a card, or canceled. Queued in the caller's transaction (the outbox delivers it).
 * False when the patient has no email address.
 */
export async function queueAutopayEmail(
  tx: Tx,
  options: { organizationId: string; patientId: string; invoiceId: string | null; email: AutopayEmail },
): Promise<boolean> {
  const patient = await tx.patient.findFirst({
    where: { id: options.patientId, organizationId: options.organizationId },
    select: { firstName: true, email: true },
  });
  const contact = await getClinicContact(tx, options.organizationId);
  if (!patient?.email || !contact) return false;
  const { email } = options;
  const clinic = contact.name;
  const { lines, subject } =
    email.kind === "membership_card_link" || email.kind === "membership_canceled" ? membershipEmail(email, clinic) : planEmail(email, clinic);
  const signature = clinicEmailSignature(contact);
  const text = [`Hello ${patient.firstName},`, "", ...lines, "", `Questions? Reply to this email or ${howToReach(contact)}.`, "", ...signature.text].join("\n");
  const html = [
    clinicEmailLogoHtml(contact),
    `<p>Hello ${escapeHtml(patient.firstName)},</p>`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p>Questions? Reply to this email or ${escapeHtml(howToReach(contact))}.</p>`,
    signature.html,
  ].join("");
  await tx.email.create({
    data: { organizationId: options.organizationId, invoiceId: options.invoiceId, kind: email.kind, toAddress: patient.email, subject, text, html },
  });
  return true;
}

type Wording = { lines: string[]; subject: string };

function planEmail(email: Exclude<AutopayEmail, { kind: "membership_card_link" | "membership_canceled" }>, clinic: string): Wording {
  const amount = formatMoney(email.amount, email.currency);
  if (email.kind === "autopay_card_link") {
    return {
      subject: `Your payment plan with ${clinic}`,
      lines: [
        `${clinic} has set up a payment plan for your balance of ${amount}. To have the payments taken automatically, please add a card here: ${email.link ?? "please contact us"}`,
      ],
    };
  }
  if (email.kind === "autopay_reminder") {
    return {
      subject: `Upcoming payment to ${clinic}`,
      lines: [
        `This is a reminder that your scheduled payment of ${amount} to ${clinic} will be charged to your card on file on ${formatCalendarDate(email.dueDate, { style: "long" })}.`,
        ...(email.link ? [`To pay early: ${email.link}`] : []),
        ...(email.cardLink ? [`To change your card: ${email.cardLink}`] : []),
      ],
    };
  }
  return {
    subject: `Action needed: your payment to ${clinic}`,
    lines: [
      `We could not process your scheduled payment of ${amount} to ${clinic} with the card on file.`,
      email.willRetryOn
        ? `We will try again on ${formatCalendarDate(email.willRetryOn, { style: "long" })}. To use another card: ${email.cardLink ?? "please contact us"}`
        : `Please add a new card or replace the one on file here: ${email.cardLink ?? "please contact us"}`,
      ...(email.link ? [`Or pay this amount now: ${email.link}`] : []),
    ],
  };
}

/** A membership's emails: its price and dates, not its plan's name (a name may hint at care). */
function membershipEmail(email: Extract<AutopayEmail, { kind: "membership_card_link" | "membership_canceled" }>, clinic: string): Wording {
  if (email.kind === "membership_card_link") {
    const price = `${formatMoney(email.amount, email.currency)} ${email.interval === "yearly" ? "a year" : "a month"}`;
    return {
      subject: `Your membership with ${clinic}`,
      lines: [
        `${clinic} has set up your membership (${price}). To have it charged automatically, please add a card here: ${email.link ?? "please contact us"}`,
      ],
    };
  }
  return {
    subject: `Your membership with ${clinic} is canceled`,
    lines: [
      email.endedNow
        ? `Your membership with ${clinic} has been canceled as of ${formatCalendarDate(email.lastDay, { style: "long" })}. Nothing more will be charged for it.`
        : `Your membership with ${clinic} will end after ${formatCalendarDate(email.lastDay, { style: "long" })}. Nothing more will be charged for it after that.`,
    ],
  };
}
