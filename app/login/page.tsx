import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getAuthContext, getSignedInSession } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { safeRedirectPath } from "@/lib/http/safe-redirect-path";
import { DEMO_PASSWORD, DEMO_USERS } from "@/platform/demo/demo-accounts";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Logo } from "@/components/shell/logo";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // Only same-site paths are honoured, so a crafted link cannot bounce a user to another site.
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  if (await getAuthContext()) redirect(callbackUrl);
  if (await getSignedInSession()) redirect(`/select-organization?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  const demo = getEnv().CAREBILL_DEMO;

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted/40 px-4 py-10">
      <Logo className="text-xl" />
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle as="h1">Sign in</CardTitle>
          <CardDescription>Use the email and password your clinic gave you.</CardDescription>
        </CardHeader>
        <CardContent>
          <SignInForm callbackUrl={callbackUrl} />
        </CardContent>
      </Card>
      {demo && (
        <aside className="w-full max-w-sm rounded-lg border border-dashed bg-card p-4 text-sm text-muted-foreground" aria-label="Demo accounts">
          <p className="font-medium text-foreground">Demo clinic</p>
          <p className="mt-1">
            Password <code className="rounded bg-muted px-1 py-0.5 text-foreground">{DEMO_PASSWORD}</code> for:
          </p>
          <ul className="mt-1 list-inside list-disc">
            {DEMO_USERS.map((user) => (
              <li key={user.email}>
                {user.email} <span className="text-xs">({user.role})</span>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </main>
  );
}
