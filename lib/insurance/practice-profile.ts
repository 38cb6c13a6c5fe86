import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/in-transaction";
import type { PracticeProfile } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { zSingleLineText } from "@/lib/validation/fields";
import { ZEin, ZNpi, ZPlaceOfService, ZTaxonomyCode, zX12Text } from "./identifier-schemas";
import type { PracticeProfileView } from "./insurance.types";
import { zPostalAddressInput } from "./postal-address-input";

const PO_BOX = /\b(p\.?\s*o\.?\s*box|post\s+office\s+box)\b/i;

/**
 * The billing provider as claims name it (loop 2010AA): legal name, type 2 NPI, EIN, taxonomy and a
 * street address with ZIP+4. Identifiers are normalized (digits only, capitals).
 */
export const ZPracticeProfileInput = z.strictObject({
  legalName: zX12Text(60),
  npi: ZNpi,
  ein: ZEin,
  taxonomyCode: ZTaxonomyCode,
  address: zPostalAddressInput({ zipPlus4: true }).superRefine((address, context) => {
    for (const line of ["line1", "line2"] as const) {
      if (PO_BOX.test(address[line] ?? "")) {
        context.addIssue({
          code: "custom",
          path: [line],
          message: "Use the practice's street address: payers refuse a PO box as the billing provider's address.",
        });
      }
    }
  }),
  contactName: z
    .union([z.literal("").transform(() => null), zX12Text(60)])
    .nullable()
    .optional(),
  /** Digits are kept (PER04 carries digits only). */
  contactPhone: zSingleLineText()
    .transform((value) => value.replace(/\D/g, ""))
    .refine((value) => value === "" || (value.length >= 10 && value.length <= 20), "Enter the phone number with its area code (10 digits or more).")
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional(),
  defaultPlaceOfService: ZPlaceOfService.default("11"),
  providerSignatureOnFile: z.boolean().default(true),
});
export type TPracticeProfileInput = z.input<typeof ZPracticeProfileInput>;

export function toPracticeProfileView(profile: PracticeProfile): PracticeProfileView {
  return {
    legalName: profile.legalName,
    npi: profile.npi,
    ein: profile.ein,
    taxonomyCode: profile.taxonomyCode,
    address: {
      line1: profile.addressLine1,
      line2: profile.addressLine2,
      city: profile.city,
      state: profile.state,
      postalCode: profile.postalCode,
    },
    contactName: profile.contactName,
    contactPhone: profile.contactPhone,
    defaultPlaceOfService: profile.defaultPlaceOfService,
    providerSignatureOnFile: profile.providerSignatureOnFile,
    updatedAt: profile.updatedAt.toISOString(),
  };
}

/** The organization's practice profile, or null until someone saves it (Settings → Practice). */
export async function getPracticeProfile(db: Db | Tx, options: { organizationId: string }): Promise<PracticeProfileView | null> {
  const profile = await db.practiceProfile.findUnique({ where: { organizationId: options.organizationId } });
  return profile ? toPracticeProfileView(profile) : null;
}

/** Creates or replaces the practice profile (one per organization), audited with the fields that changed. */
export async function savePracticeProfile(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; input: TPracticeProfileInput },
): Promise<PracticeProfileView> {
  const input = ZPracticeProfileInput.parse(options.input);
  const data = {
    legalName: input.legalName,
    npi: input.npi,
    ein: input.ein,
    taxonomyCode: input.taxonomyCode,
    addressLine1: input.address.line1,
    addressLine2: input.address.line2 ?? null,
    city: input.address.city,
    state: input.address.state,
    postalCode: input.address.postalCode,
    contactName: input.contactName ?? null,
    contactPhone: input.contactPhone ?? null,
    defaultPlaceOfService: input.defaultPlaceOfService,
    providerSignatureOnFile: input.providerSignatureOnFile,
  };
  return inTransaction(db, async (tx) => {
    const before = await tx.practiceProfile.findUnique({ where: { organizationId: options.organizationId } });
    const profile = await tx.practiceProfile.upsert({
      where: { organizationId: options.organizationId },
      create: { organizationId: options.organizationId, ...data },
      update: data,
    });
    const changedFields = (Object.keys(data) as (keyof typeof data)[]).filter((key) => before?.[key] !== profile[key]);
    if (!before || changedFields.length > 0) {
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: before ? "practice_profile.updated" : "practice_profile.created",
        target: { type: "practice_profile", id: options.organizationId },
        after: { changedFields },
      });
    }
    return toPracticeProfileView(profile);
  });
}
