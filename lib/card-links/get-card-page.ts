import type { Db } from "@/lib/db/client";
import { CARD_ON_FILE_TERMS_VERSION, consentTermsText } from "@/lib/consent/terms";
import { clinicContact, CONTACT_ORGANIZATION_SELECT, getClinicContact, type ClinicContact } from "@/lib/organizations/clinic-contact";
import { listPatientLiveMemberships } from "@/lib/memberships/get-membership";
import type { MembershipSummary } from "@/lib/memberships/memberships.types";
import { resolveCardLink } from "./resolve-card-link";

/** A live membership as the patient sees it on their card page: the plan, its price and what comes next; nothing else. */
export type CardPageMembership = Pick<
  MembershipSummary,
  "id" | "planName" | "amount" | "currency" | "interval" | "status" | "currentPeriodEnd" | "nextChargeDate" | "cancelAtPeriodEnd"
>;

export type CardPage =
  | { kind: "problem"; reason: "invalid" | "expired" | "revoked"; clinic: ClinicContact | null }
  | {
      kind: "open";
      linkId: string;
      clinic: ClinicContact;
      patientFirstName: string;
      termsText: string;
      /** The card the patient has as default now (brand, last 4, expiry only), to replace. */
      currentCard: { id: string; brand: string; last4: string; expMonth: number; expYear: number } | null;
      /** Their live memberships (active, past due, paused), which they may cancel at the period's end. */
      memberships: CardPageMembership[];
    };

/** What /card/<token> shows: the clinic, the patient's first name, the terms, their current card and live memberships; nothing medical. */
export async function getCardPage(db: Db, token: string): Promise<CardPage> {
  const link = await resolveCardLink(db, token);
  if (!link.ok) return { kind: "problem", reason: link.reason, clinic: link.organizationId ? await getClinicContact(db, link.organizationId) : null };
  const [organization, patient, currentCard, memberships] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: link.organizationId }, select: CONTACT_ORGANIZATION_SELECT }),
    db.patient.findUniqueOrThrow({ where: { id: link.patientId }, select: { firstName: true } }),
    db.savedPaymentMethod.findFirst({
      where: { organizationId: link.organizationId, patientId: link.patientId, removedAt: null, isDefault: true },
      select: { id: true, brand: true, last4: true, expMonth: true, expYear: true },
    }),
    listPatientLiveMemberships(db, { organizationId: link.organizationId, patientId: link.patientId }),
  ]);
  const clinic = clinicContact(organization);
  return {
    kind: "open",
    linkId: link.linkId,
    clinic,
    patientFirstName: patient.firstName,
    termsText: consentTermsText(CARD_ON_FILE_TERMS_VERSION, clinic.name),
    currentCard,
    memberships: memberships.map((membership) => ({
      id: membership.id,
      planName: membership.planName,
      amount: membership.amount,
      currency: membership.currency,
      interval: membership.interval,
      status: membership.status,
      currentPeriodEnd: membership.currentPeriodEnd,
      nextChargeDate: membership.nextChargeDate,
      cancelAtPeriodEnd: membership.cancelAtPeriodEnd,
    })),
  };
}
