import { requirePageAuth } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  await requirePageAuth("admin");
  return (
    <div className="grid gap-6">
      <PageHeader title="Settings" description="Your clinic's details and who can use Carebill." />
      <SettingsTabs />
      {children}
    </div>
  );
}
