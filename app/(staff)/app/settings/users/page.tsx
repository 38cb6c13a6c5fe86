import type { Metadata } from "next";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { listPendingInvitations } from "@/lib/organizations/list-invitations";
import { listMembers } from "@/lib/organizations/list-members";
import { PendingInvitations } from "@/components/settings/pending-invitations";
import { inviteMemberAction } from "@/lib/actions/organizations/invite-member";
import { AddMemberDialog } from "@/components/settings/add-member-dialog";
import { MembersTable } from "@/components/settings/members-table";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

export const metadata: Metadata = { title: "Users" };

export default async function UsersSettingsPage() {
  const auth = await requirePageAuth("admin");
  const db = await getDb();
  const [members, invitations] = await Promise.all([
    listMembers(db, { organizationId: auth.organization.id }),
    listPendingInvitations(db, { organizationId: auth.organization.id }),
  ]);
  return (
    <Card>
      <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-1">
          <CardTitle>Users</CardTitle>
          <CardDescription>Admins manage settings and users; billing staff bill and take payments; viewers can only look.</CardDescription>
        </div>
        <AddMemberDialog inviteMember={inviteMemberAction} />
      </CardHeader>
      <CardContent className="grid gap-6">
        <MembersTable
          currentUserId={auth.user.id}
          timeZone={auth.organization.timezone}
          members={members.map((member) => ({
            ...member,
            lastLoginAt: member.lastLoginAt?.toISOString() ?? null,
            createdAt: member.createdAt.toISOString(),
          }))}
        />
        <PendingInvitations
          timeZone={auth.organization.timezone}
          invitations={invitations.map((invitation) => ({ ...invitation, expiresAt: invitation.expiresAt.toISOString() }))}
        />
      </CardContent>
    </Card>
  );
}
