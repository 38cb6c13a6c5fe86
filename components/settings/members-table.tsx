"use client";

import { useState, useTransition } from "react";
import { changeMemberRoleAction } from "@/lib/actions/organizations/change-member-role";
import { setMemberActiveAction } from "@/lib/actions/organizations/set-member-active";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";
import { ClinicTime } from "@/components/ui/clinic-time";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export type MemberRow = {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  lastLoginAt: string | null;
};

export function MembersTable({ members, currentUserId, timeZone }: { members: MemberRow[]; currentUserId: string; timeZone: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function run(action: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>) {
    setError(null);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) setError(result.error.message);
    });
  }

  return (
    <div className="grid gap-4">
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <Table aria-busy={pending}>
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Last sign-in</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {members.map((member) => {
            const isSelf = member.userId === currentUserId;
            return (
              <TableRow key={member.membershipId} data-testid={`member-${member.email}`}>
                <TableCell>
                  <div className="font-medium">
                    {member.name}
                    {isSelf && <span className="ml-2 text-xs font-normal text-muted-foreground">(you)</span>}
                  </div>
                  <div className="text-sm text-muted-foreground">{member.email}</div>
                </TableCell>
                <TableCell>
                  <label className="sr-only" htmlFor={`role-${member.membershipId}`}>
                    Role for {member.name}
                  </label>
                  <Select
                    id={`role-${member.membershipId}`}
                    className="w-44"
                    value={member.role}
                    disabled={pending || !member.active}
                    onChange={(event) => {
                      const role = event.target.value as Role;
                      run(() => changeMemberRoleAction({ membershipId: member.membershipId, role }));
                    }}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {ROLE_LABELS[role]}
                      </option>
                    ))}
                  </Select>
                </TableCell>
                <TableCell>{member.active ? <Badge variant="success">Active</Badge> : <Badge variant="secondary">Deactivated</Badge>}</TableCell>
                <TableCell className="text-sm whitespace-nowrap text-muted-foreground">
                  {member.lastLoginAt ? <ClinicTime value={member.lastLoginAt} timeZone={timeZone} /> : "Never"}
                </TableCell>
                <TableCell className="text-right">
                  {member.active ? (
                    !isSelf && (
                      <ConfirmButton
                        title={`Deactivate ${member.name}?`}
                        description="They are signed out at once and can no longer use Carebill for this clinic. Their history stays. You can reactivate them later."
                        confirmLabel="Deactivate"
                        destructive
                        disabled={pending}
                        onConfirm={() => run(() => setMemberActiveAction({ membershipId: member.membershipId, active: false }))}
                      >
                        Deactivate
                      </ConfirmButton>
                    )
                  ) : (
                    <Button
                      variant="outline"
                      size="sm"
                      disabled={pending}
                      onClick={() => run(() => setMemberActiveAction({ membershipId: member.membershipId, active: true }))}
                    >
                      Reactivate
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
