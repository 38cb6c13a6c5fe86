import type { Metadata } from "next";
import {
  archiveRenderingProviderAction,
  createRenderingProviderAction,
  savePracticeProfileAction,
  updateRenderingProviderAction,
} from "@/lib/actions/insurance/practice-actions";
import { hasRole } from "@/lib/auth/roles";
import { requirePageAuth } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getPracticeProfile } from "@/lib/insurance/practice-profile";
import { listRenderingProviders } from "@/lib/insurance/rendering-providers";
import { PracticeProfileForm } from "@/components/insurance/practice-profile-form";
import { RenderingProvidersSettings } from "@/components/insurance/rendering-providers-settings";

export const metadata: Metadata = { title: "Practice settings" };

/** The billing provider and rendering providers claims name: admins change them, everyone reads them. */
export default async function PracticeSettingsPage() {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const organizationId = auth.organization.id;
  const [profile, providers] = await Promise.all([
    getPracticeProfile(db, { organizationId }),
    listRenderingProviders(db, { organizationId, includeArchived: true }),
  ]);
  const admin = hasRole(auth.role, "admin");
  return (
    <div className="grid gap-6">
      <PracticeProfileForm profile={profile} canEdit={admin} save={admin ? savePracticeProfileAction : undefined} />
      <RenderingProvidersSettings
        providers={providers}
        actions={admin ? { create: createRenderingProviderAction, update: updateRenderingProviderAction, archive: archiveRenderingProviderAction } : undefined}
      />
    </div>
  );
}
