import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { consentTermsText, type ConsentTermsVersion } from "./terms";

export type ConsentGiver =
  /** The patient, on their own device (pay page, card link). */
  | { kind: "patient_online" }
  /** A staff member ticking the box for the patient present at the desk. */
  | { kind: "staff_on_behalf"; userId: string };

export type TRecordConsentOptions = {
  organizationId: string;
  patientId: string;
  version: ConsentTermsVersion;
  by: ConsentGiver;
  /** The browser's address and user agent, as the request showed them (null when unknown). */
  ip: string | null;
  userAgent: string | null;
  now?: Date;
};

/**
 * Records a consent to keep a card on file: the terms text exactly as shown to the patient (the
 * version's text with the clinic's name), who accepted, when, from which IP and browser. The row
 * is never changed afterwards (the table refuses UPDATE and DELETE). Returns its id, for the card
 * (or the attempt that will save it) to point at.
 */
export async function recordConsent(db: Db | Tx, options: TRecordConsentOptions): Promise<{ id: string; termsText: string }> {
  const organization = await db.organization.findUnique({ where: { id: options.organizationId }, select: { name: true } });
  if (!organization) throw new AppError("NOT_FOUND", "That clinic does not exist.");
  const termsText = consentTermsText(options.version, organization.name);
  const consent = await db.paymentConsent.create({
    data: {
      organizationId: options.organizationId,
      patientId: options.patientId,
      termsVersion: options.version,
      termsText,
      acceptedBy: options.by.kind,
      acceptedByUserId: options.by.kind === "staff_on_behalf" ? options.by.userId : null,
      acceptedAt: options.now ?? new Date(),
      ip: options.ip?.slice(0, 64) ?? null,
      userAgent: options.userAgent?.slice(0, 500) ?? null,
    },
    select: { id: true },
  });
  return { id: consent.id, termsText };
}
