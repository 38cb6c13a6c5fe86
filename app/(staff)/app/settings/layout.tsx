import { hasRole } from "@/lib/auth/roles";
import { requirePageAuth } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";

/**
 * Everyone signed in reaches the settings area, but only admins its pages other than Autopay and the
 * insurance ones (Practice, Payers, Clearinghouse): each page checks its own role; billing staff and
 * viewers see those tabs read-only.
 */
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const auth = await requirePageAuth("viewer");
  const admin = hasRole(auth.role, "admin");
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Settings"
        description={admin ? "Your clinic's details and who can use Carebill." : "How your clinic charges payment plans and memberships, and bills insurance."}
      />
      <SettingsTabs admin={admin} />
      {children}
    </div>
  );
}
