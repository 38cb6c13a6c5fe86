"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { savePracticeProfile, ZPracticeProfileInput } from "@/lib/insurance/practice-profile";
import { archiveRenderingProvider, createRenderingProvider, updateRenderingProvider, ZRenderingProviderInput } from "@/lib/insurance/rendering-providers";

function refreshPracticePage() {
  revalidatePath("/app/settings/practice");
}

/** Admins only: the billing provider every claim names (legal name, NPI, EIN, taxonomy, address). */
export const savePracticeProfileAction = authedAction({ name: "practice_profile.save", role: "admin", schema: ZPracticeProfileInput }, async (input, auth) => {
  await savePracticeProfile(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  refreshPracticePage();
  return { saved: true };
});

export const createRenderingProviderAction = authedAction(
  { name: "rendering_provider.create", role: "admin", schema: ZRenderingProviderInput },
  async (input, auth) => {
    const provider = await createRenderingProvider(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
    refreshPracticePage();
    return { id: provider.id };
  },
);

// Flat (not { id, input }) so field errors name the form's fields ("npi", "lastName").
const ZUpdateRenderingProviderActionInput = ZRenderingProviderInput.extend({ renderingProviderId: zRecordId("Unknown rendering provider.") });

export const updateRenderingProviderAction = authedAction(
  { name: "rendering_provider.update", role: "admin", schema: ZUpdateRenderingProviderActionInput },
  async ({ renderingProviderId, ...input }, auth) => {
    const provider = await updateRenderingProvider(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, renderingProviderId, input });
    refreshPracticePage();
    return { id: provider.id };
  },
);

/** Archived providers stay on claims already made; new visits cannot name them. */
export const archiveRenderingProviderAction = authedAction(
  { name: "rendering_provider.archive", role: "admin", schema: z.object({ renderingProviderId: zRecordId("Unknown rendering provider.") }) },
  async ({ renderingProviderId }, auth) => {
    await archiveRenderingProvider(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, renderingProviderId });
    refreshPracticePage();
    return { id: renderingProviderId };
  },
);
