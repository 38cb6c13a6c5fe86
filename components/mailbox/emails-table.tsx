import Link from "next/link";
import type { EmailListItem } from "@/lib/email/emails.types";
import { formatDateTime } from "@/components/invoices/invoice-format";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { emailKindLabel } from "./email-labels";
import { EmailStatusBadge } from "./email-status-badge";

export function EmailsTable({ emails, timeZone }: { emails: EmailListItem[]; timeZone: string }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Subject</TableHead>
          <TableHead className="hidden md:table-cell">To</TableHead>
          <TableHead className="hidden sm:table-cell">Kind</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="hidden lg:table-cell">When</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {emails.map((email) => (
          <TableRow key={email.id}>
            <TableCell>
              <Link href={`/app/mailbox/${email.id}`} className="font-medium text-primary hover:underline">
                {email.subject}
              </Link>
              <div className="mt-0.5 truncate text-sm text-muted-foreground md:hidden">{email.toAddress}</div>
            </TableCell>
            <TableCell className="hidden md:table-cell">{email.toAddress}</TableCell>
            <TableCell className="hidden text-muted-foreground sm:table-cell">{emailKindLabel(email.kind)}</TableCell>
            <TableCell>
              <EmailStatusBadge status={email.status} />
            </TableCell>
            <TableCell className="hidden whitespace-nowrap text-muted-foreground lg:table-cell">
              {formatDateTime(email.sentAt ?? email.createdAt, timeZone)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
