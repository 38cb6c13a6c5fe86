import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/in-transaction";
import type { RenderingProvider } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors";
import { ZNpi, ZTaxonomyCode, zX12Text } from "./identifier-schemas";
import type { RenderingProviderView } from "./insurance.types";

/** A clinician whose services are billed: name as the payer knows it, type 1 NPI, taxonomy when the payer asks for it. */
export const ZRenderingProviderInput = z.strictObject({
  firstName: zX12Text(35),
  lastName: zX12Text(60),
  npi: ZNpi,
  taxonomyCode: z
    .union([z.literal("").transform(() => null), ZTaxonomyCode])
    .nullable()
    .optional(),
});
export type TRenderingProviderInput = z.input<typeof ZRenderingProviderInput>;

type Options = { organizationId: string; actor: AuditActor };

const NPI_TAKEN = new AppError("VALIDATION_FAILED", "Another rendering provider already has this NPI.", {
  fields: { npi: ["Another rendering provider of this clinic already has this NPI."] },
});

export function toRenderingProviderView(provider: RenderingProvider): RenderingProviderView {
  return {
    id: provider.id,
    firstName: provider.firstName,
    lastName: provider.lastName,
    npi: provider.npi,
    taxonomyCode: provider.taxonomyCode,
    archivedAt: provider.archivedAt?.toISOString() ?? null,
  };
}

async function findProviderOrThrow(db: Db | Tx, options: { organizationId: string; renderingProviderId: string }): Promise<RenderingProvider> {
  const provider = await db.renderingProvider.findFirst({ where: { id: options.renderingProviderId, organizationId: options.organizationId } });
  if (!provider) throw new AppError("NOT_FOUND", "That rendering provider does not exist.");
  return provider;
}

/** One rendering provider of the organization (archived ones too); 404 for another organization's. */
export async function getRenderingProviderOrThrow(
  db: Db | Tx,
  options: { organizationId: string; renderingProviderId: string },
): Promise<RenderingProviderView> {
  return toRenderingProviderView(await findProviderOrThrow(db, options));
}

/** The organization's rendering providers by last then first name; archived ones only when asked (after the others). */
export async function listRenderingProviders(db: Db | Tx, options: { organizationId: string; includeArchived?: boolean }): Promise<RenderingProviderView[]> {
  const providers = await db.renderingProvider.findMany({
    where: { organizationId: options.organizationId, ...(options.includeArchived ? {} : { archivedAt: null }) },
    orderBy: [{ archivedAt: { sort: "asc", nulls: "first" } }, { lastName: "asc" }, { firstName: "asc" }],
  });
  return providers.map(toRenderingProviderView);
}

/** Adds a rendering provider. An NPI is used once per clinic (archived providers included): a field error on npi. */
export async function createRenderingProvider(db: Db | Tx, options: Options & { input: TRenderingProviderInput }): Promise<RenderingProviderView> {
  const input = ZRenderingProviderInput.parse(options.input);
  try {
    return await inTransaction(db, async (tx) => {
      const provider = await tx.renderingProvider.create({
        data: {
          organizationId: options.organizationId,
          firstName: input.firstName,
          lastName: input.lastName,
          npi: input.npi,
          taxonomyCode: input.taxonomyCode ?? null,
        },
      });
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "rendering_provider.created",
        target: { type: "rendering_provider", id: provider.id },
        after: { firstName: provider.firstName, lastName: provider.lastName, npi: provider.npi, taxonomyCode: provider.taxonomyCode },
      });
      return toRenderingProviderView(provider);
    });
  } catch (error) {
    if (isUniqueViolation(error, "npi")) throw NPI_TAKEN;
    throw error;
  }
}

/** Replaces a provider's name, NPI and taxonomy. Claims already built keep what they were built with. */
export async function updateRenderingProvider(
  db: Db | Tx,
  options: Options & { renderingProviderId: string; input: TRenderingProviderInput },
): Promise<RenderingProviderView> {
  const input = ZRenderingProviderInput.parse(options.input);
  try {
    return await inTransaction(db, async (tx) => {
      const before = await findProviderOrThrow(tx, options);
      const provider = await tx.renderingProvider.update({
        where: { id: before.id },
        data: { firstName: input.firstName, lastName: input.lastName, npi: input.npi, taxonomyCode: input.taxonomyCode ?? null },
      });
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "rendering_provider.updated",
        target: { type: "rendering_provider", id: provider.id },
        before: { firstName: before.firstName, lastName: before.lastName, npi: before.npi, taxonomyCode: before.taxonomyCode },
        after: { firstName: provider.firstName, lastName: provider.lastName, npi: provider.npi, taxonomyCode: provider.taxonomyCode },
      });
      return toRenderingProviderView(provider);
    });
  } catch (error) {
    if (isUniqueViolation(error, "npi")) throw NPI_TAKEN;
    throw error;
  }
}

/** Archives a provider: past visits and claims keep them; new visits cannot name them. Archiving twice changes nothing. */
export async function archiveRenderingProvider(db: Db | Tx, options: Options & { renderingProviderId: string }): Promise<RenderingProviderView> {
  return inTransaction(db, async (tx) => {
    const before = await findProviderOrThrow(tx, options);
    if (before.archivedAt) return toRenderingProviderView(before);
    const provider = await tx.renderingProvider.update({ where: { id: before.id }, data: { archivedAt: new Date() } });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "rendering_provider.archived",
      target: { type: "rendering_provider", id: provider.id },
    });
    return toRenderingProviderView(provider);
  });
}
