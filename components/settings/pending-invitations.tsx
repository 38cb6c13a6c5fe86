import { ClinicTime } from "@/components/ui/clinic-time";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export type InvitationRow = { id: string; name: string; email: string; role: Role; expiresAt: string };

/** Invitations sent and not yet accepted: these people are not members until they accept. */
export function PendingInvitations({ invitations, timeZone }: { invitations: InvitationRow[]; timeZone: string }) {
  if (invitations.length === 0) return null;
  return (
    <section aria-labelledby="pending-invitations" className="grid gap-2">
      <h2 id="pending-invitations" className="text-sm font-semibold">
        Pending invitations
      </h2>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Link expires</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {invitations.map((invitation) => (
            <TableRow key={invitation.id} data-testid={`invitation-${invitation.email}`}>
              <TableCell>
                <div className="font-medium">{invitation.name}</div>
                <div className="text-xs text-muted-foreground">{invitation.email}</div>
              </TableCell>
              <TableCell>{ROLE_LABELS[invitation.role]}</TableCell>
              <TableCell>
                <ClinicTime value={invitation.expiresAt} timeZone={timeZone} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
