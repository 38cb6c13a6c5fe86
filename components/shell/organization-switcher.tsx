"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import type { UserOrganization } from "@/lib/auth/list-user-organizations";
import type { SelectOrganization } from "@/components/auth/organization-chooser";

/** The clinic name in the header; a menu of the person's clinics when they belong to several. */
export function OrganizationSwitcher(props: {
  current: { id: string; name: string };
  organizations: UserOrganization[];
  selectOrganization: SelectOrganization;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  if (props.organizations.length < 2) {
    return (
      <p className="min-w-0 flex-1 truncate text-sm font-medium" title={props.current.name}>
        {props.current.name}
      </p>
    );
  }
  return (
    <div className="min-w-0 flex-1">
      <select
        aria-label="Clinic"
        className="max-w-full truncate rounded-md border bg-transparent px-2 py-1.5 text-sm font-medium"
        value={props.current.id}
        disabled={pending}
        onChange={(event) => {
          const organizationId = event.target.value;
          startTransition(async () => {
            const result = await props.selectOrganization({ organizationId });
            if (result.ok) router.push("/app");
            router.refresh();
          });
        }}
      >
        {props.organizations.map((organization) => (
          <option key={organization.id} value={organization.id}>
            {organization.name}
          </option>
        ))}
      </select>
    </div>
  );
}
