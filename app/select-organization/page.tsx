import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSignedInSession } from "@/lib/auth/session";
import { listUserOrganizations } from "@/lib/auth/list-user-organizations";
import { getDb } from "@/lib/db/client";
import { safeRedirectPath } from "@/lib/http/safe-redirect-path";
import { OrganizationChooser } from "@/components/auth/organization-chooser";
import { Logo } from "@/components/shell/logo";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { selectOrganizationAction } from "@/lib/actions/auth/select-organization";

export const metadata: Metadata = { title: "Choose a clinic" };

/** After signing in, a person who belongs to several clinics chooses which one to enter. */
export default async function SelectOrganizationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = safeRedirectPath((await searchParams).callbackUrl);
  const session = await getSignedInSession();
  if (!session) redirect(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  const organizations = await listUserOrganizations(await getDb(), { userId: session.user.id });
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted/40 px-4 py-10">
      <Logo className="text-xl" />
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle as="h1">Choose a clinic</CardTitle>
          <CardDescription>
            {organizations.length > 0
              ? `Signed in as ${session.user.email}. You can switch later from the header.`
              : "You have no active clinic. Ask your clinic's admin to restore your access."}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <OrganizationChooser organizations={organizations} callbackUrl={callbackUrl} selectOrganization={selectOrganizationAction} />
        </CardContent>
      </Card>
    </main>
  );
}
