import type { Metadata } from "next";
import { getDb } from "@/lib/db/client";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { getInvitationByToken } from "@/lib/organizations/get-invitation";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { Logo } from "@/components/shell/logo";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { acceptInvitationAction } from "@/lib/actions/organizations/accept-invitation";

export const metadata: Metadata = { title: "Accept invitation", referrer: "no-referrer" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await getInvitationByToken(await getDb(), { token });
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted/40 px-4 py-10">
      <Logo className="text-xl" />
      <Card className="w-full max-w-sm">
        {invitation ? (
          <>
            <CardHeader>
              <CardTitle as="h1">Join {invitation.organizationName}</CardTitle>
              <CardDescription>
                You were invited as {ROLE_LABELS[invitation.role]}.{" "}
                {invitation.accountExists ? "You already use Carebill: enter your password to accept." : "Choose a password to create your account."}
              </CardDescription>
            </CardHeader>
            <CardContent>
              <AcceptInvitationForm
                token={token}
                email={invitation.email}
                defaultName={invitation.name}
                accountExists={invitation.accountExists}
                acceptInvitation={acceptInvitationAction}
              />
            </CardContent>
          </>
        ) : (
          <CardHeader>
            <CardTitle as="h1">This invitation link does not work</CardTitle>
            <CardDescription>It was already used, replaced by a newer one, or has expired. Ask your clinic&apos;s admin to invite you again.</CardDescription>
          </CardHeader>
        )}
      </Card>
    </main>
  );
}
