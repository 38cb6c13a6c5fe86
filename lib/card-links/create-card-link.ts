import type { Db, Tx } from "@/lib/db/client";
import { AUTOMATIC_ACTOR, recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { clinicEmailLogoHtml, clinicEmailSignature } from "@/lib/email/clinic-email-parts";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getClinicContact } from "@/lib/organizations/clinic-contact";
import { newShortId } from "@/lib/payment-links/short-id";
import { escapeHtml } from "@/lib/utils/escape-html";

/** How long a card link works. Short: it lets whoever holds it put a card on the patient's file. */
export const CARD_LINK_TTL_DAYS = 7;

export type CardLinkView = { id: string; url: string; expiresAt: string; emailedTo: string | null };

export function cardPageUrl(shortId: string): string {
  return `${getEnv().APP_URL.replace(/\/$/, "")}/card/${shortId}`;
}

/**
 * Issues a card link for a patient (a short random id, an expiry, revocable) and revokes the
 * ones before it, so a patient has one live link. With `email`, queues it in the outbox to the
 * patient's email: the clinic's name and the link, nothing medical (no invoice, no visit).
 */
export async function createCardLink(
  db: Db,
  options: { organizationId: string; patientId: string; actor: AuditActor; email: boolean; now?: Date },
): Promise<CardLinkView> {
  return db.$transaction((tx) => issueCardLink(tx, options));
}

/** `createCardLink` inside the caller's transaction. */
export async function issueCardLink(
  tx: Tx,
  options: { organizationId: string; patientId: string; actor: AuditActor; email: boolean; now?: Date },
): Promise<CardLinkView> {
  const now = options.now ?? new Date();
  const patient = await tx.patient.findFirst({
    where: { id: options.patientId, organizationId: options.organizationId },
    select: { id: true, firstName: true, email: true, archivedAt: true },
  });
  if (!patient) throw new AppError("NOT_FOUND", "That patient does not exist.");
  if (patient.archivedAt) throw new AppError("CONFLICT", "This patient is archived: restore them before sending a card link.");
  if (options.email && !patient.email) {
    throw new AppError("VALIDATION_FAILED", "This patient has no email address.", {
      fields: { email: ["Add an email address to the patient, or copy the link instead."] },
    });
  }
  await tx.cardLink.updateMany({ where: { patientId: patient.id, revokedAt: null }, data: { revokedAt: now } });
  const expiresAt = new Date(now.getTime() + CARD_LINK_TTL_DAYS * 86_400_000);
  const link = await tx.cardLink.create({
    data: {
      organizationId: options.organizationId,
      patientId: patient.id,
      shortId: newShortId(),
      expiresAt,
      createdById: options.actor.userId,
      emailedAt: options.email ? now : null,
    },
  });
  const url = cardPageUrl(link.shortId);
  if (options.email && patient.email) {
    const contact = await getClinicContact(tx, options.organizationId);
    if (!contact) throw new AppError("NOT_FOUND", "That clinic does not exist.");
    const signature = clinicEmailSignature(contact);
    const subject = `Add a card for your payments to ${contact.name}`;
    const intro = `${contact.name} asks you to add a card for your future payments to them. The link below opens a secure page where you can read the terms, add a card or replace the one on file. It works for ${CARD_LINK_TTL_DAYS} days.`;
    await tx.email.create({
      data: {
        organizationId: options.organizationId,
        kind: "card_link",
        toAddress: patient.email,
        subject,
        text: [`Hello ${patient.firstName},`, "", intro, "", url, "", "If you did not expect this, you can ignore it.", "", ...signature.text].join("\n"),
        html: `${clinicEmailLogoHtml(contact)}<p>Hello ${escapeHtml(patient.firstName)},</p><p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(url)}">Add or replace your card</a></p><p style="color:#555">If you did not expect this, you can ignore it.</p>${signature.html}`,
      },
    });
  }
  await recordAuditEvent(tx, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "card_link.created",
    target: { type: "patient", id: patient.id },
    after: { linkId: link.id, expiresAt: expiresAt.toISOString(), emailed: options.email },
  });
  return { id: link.id, url, expiresAt: expiresAt.toISOString(), emailedTo: options.email ? patient.email : null };
}

/**
 * The card link the autopay emails carry: the patient's live link if there is one, else a new one
 * (not emailed on its own: the caller's email carries it). Null for an archived patient.
 */
export async function patientCardLink(tx: Tx, options: { organizationId: string; patientId: string; now: Date }): Promise<string | null> {
  const live = await tx.cardLink.findFirst({
    where: { organizationId: options.organizationId, patientId: options.patientId, revokedAt: null, expiresAt: { gt: options.now } },
    select: { shortId: true },
    orderBy: { expiresAt: "desc" },
  });
  if (live) return cardPageUrl(live.shortId);
  const patient = await tx.patient.findFirst({ where: { id: options.patientId, organizationId: options.organizationId }, select: { archivedAt: true } });
  if (!patient || patient.archivedAt) return null;
  return (await issueCardLink(tx, { ...options, actor: AUTOMATIC_ACTOR, email: false })).url;
}

/** Revokes the patient's live card link (its page then says it no longer works). */
export async function revokeCardLinks(db: Db, options: { organizationId: string; patientId: string; actor: AuditActor; now?: Date }): Promise<number> {
  return db.$transaction(async (tx) => {
    const revoked = await tx.cardLink.updateMany({
      where: { organizationId: options.organizationId, patientId: options.patientId, revokedAt: null },
      data: { revokedAt: options.now ?? new Date() },
    });
    if (revoked.count > 0) {
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "card_link.revoked",
        target: { type: "patient", id: options.patientId },
      });
    }
    return revoked.count;
  });
}

/** The patient's live card link, for the patient page (null when none or expired). */
export async function getLiveCardLink(db: Db, options: { organizationId: string; patientId: string; now?: Date }) {
  const link = await db.cardLink.findFirst({
    where: { organizationId: options.organizationId, patientId: options.patientId, revokedAt: null, expiresAt: { gt: options.now ?? new Date() } },
    select: { shortId: true, expiresAt: true, emailedAt: true },
  });
  return link ? { url: cardPageUrl(link.shortId), expiresAt: link.expiresAt, emailedAt: link.emailedAt } : null;
}
