"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import type { UserOrganization } from "@/lib/auth/list-user-organizations";
import { ROLE_LABELS } from "@/lib/auth/roles";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export type SelectOrganization = (input: { organizationId: string }) => Promise<ActionResult<void>>;

export function OrganizationChooser(props: { organizations: UserOrganization[]; callbackUrl: string; selectOrganization: SelectOrganization }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function choose(organizationId: string) {
    setError(null);
    startTransition(async () => {
      const result = await props.selectOrganization({ organizationId });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      router.replace(props.callbackUrl);
      router.refresh();
    });
  }

  return (
    <div className="grid gap-3">
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      {props.organizations.map((organization) => (
        <Button key={organization.id} variant="outline" className="h-auto justify-between py-3" disabled={pending} onClick={() => choose(organization.id)}>
          <span className="truncate font-medium">{organization.name}</span>
          <span className="text-xs text-muted-foreground">{ROLE_LABELS[organization.role]}</span>
        </Button>
      ))}
      <Button variant="ghost" onClick={() => void signOut({ callbackUrl: "/login" })}>
        Sign out
      </Button>
    </div>
  );
}
