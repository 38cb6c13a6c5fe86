import type { Tx } from "@/lib/db/client";
import { formatDateTime } from "@/lib/dates/format-date";
import { getEnv } from "@/lib/env";
import { escapeHtml } from "@/lib/utils/escape-html";
import { ALERT_EMAIL_KIND } from "./alert-conditions";
import { ALERT_RULE_LABELS, ALERT_RULE_LINKS, type AlertRuleKind } from "./alerts.types";

/**
 * Writes one email per active admin to the outbox, in the transaction that records the alert as
 * fired (so it is written once, by the evaluator that fired it). Staff-facing: the rule, what
 * held and where to look; no patient details. Returns how many were queued.
 */
export async function queueAlertEmails(
  tx: Tx,
  options: { organizationId: string; rule: AlertRuleKind; detail: string; firedAt: Date; emailIntervalHours: number },
): Promise<number> {
  const [admins, organization] = await Promise.all([
    tx.membership.findMany({
      where: { organizationId: options.organizationId, role: "admin", deactivatedAt: null },
      select: { user: { select: { email: true, name: true } } },
    }),
    tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { name: true, timezone: true } }),
  ]);
  if (admins.length === 0) return 0;
  const base = getEnv().APP_URL.replace(/\/$/, "");
  const label = ALERT_RULE_LABELS[options.rule];
  const actLink = `${base}${ALERT_RULE_LINKS[options.rule]}`;
  const historyLink = `${base}/app/settings/alerts/history`;
  const when = formatDateTime(options.firedAt, { timeZone: organization.timezone }, { zoneName: true });
  const subject = `Alert at ${organization.name}: ${label}`;
  const quiet = `You will get no more than one email about this rule every ${options.emailIntervalHours === 1 ? "hour" : `${options.emailIntervalHours} hours`}; the alert stays on the dashboard until it clears by itself.`;
  const lines = [`${label} — ${options.detail}`, "", `Fired: ${when}`, "", "Look into it here:", actLink, "", "Alert history:", historyLink, "", quiet];
  const html = [
    `<p><strong>${escapeHtml(label)}</strong> — ${escapeHtml(options.detail)}</p>`,
    `<p>Fired: ${escapeHtml(when)}</p>`,
    `<p><a href="${escapeHtml(actLink)}">Look into it</a> · <a href="${escapeHtml(historyLink)}">Alert history</a></p>`,
    `<p style="color:#555">${escapeHtml(quiet)}</p>`,
  ].join("");
  await tx.email.createMany({
    data: admins.map((admin) => ({
      organizationId: options.organizationId,
      kind: ALERT_EMAIL_KIND,
      toAddress: admin.user.email,
      subject,
      text: [`Hello ${admin.user.name},`, "", ...lines].join("\n"),
      html: `<p>Hello ${escapeHtml(admin.user.name)},</p>${html}`,
    })),
  });
  return admins.length;
}
