import type { Metadata } from "next";
import { requirePageAuth } from "@/lib/auth/session";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { changePasswordAction } from "@/lib/actions/auth/change-password";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const auth = await requirePageAuth("viewer");
  return (
    <div className="grid max-w-xl gap-6">
      <PageHeader title="Your account" description={auth.user.email} />
      <Card>
        <CardHeader>
          <CardTitle>Change password</CardTitle>
          <CardDescription>You stay signed in here; every other device where you are signed in is signed out.</CardDescription>
        </CardHeader>
        <CardContent>
          <ChangePasswordForm changePassword={changePasswordAction} />
        </CardContent>
      </Card>
    </div>
  );
}
