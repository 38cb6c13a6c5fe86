import type { NextRequest } from "next/server";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb, type Db } from "@/lib/db/client";
import { withAuth } from "@/lib/http/route";
import { csvHeaders, textStream } from "./csv";

type ListExport<Input> = {
  /** The list's name: the file is `<name>-<the clinic's date>.csv` and the audit entry says `<name>.exported`. */
  name: "invoices" | "payments" | "patients" | "disputes" | "credit-notes";
  /** The list page's reader of its URL's parameters, so the file holds exactly what the list shows. */
  readParams: (params: URLSearchParams) => { input: Input };
  rows: (db: Db, options: { organizationId: string; input: Input }) => AsyncGenerator<string>;
};

/**
 * GET handler of a staff list's "Export CSV": the list's filters, search and sort, streamed.
 * Exports hold patients' names and contact details, so each one is audit-logged (who, which
 * list, with which filters) before the first row is sent, like viewing a patient's record.
 */
export function listExportRoute<Input>(path: string, list: ListExport<Input>) {
  return withAuth(path, { role: "viewer" }, async (request: NextRequest, { auth }) => {
    const { input } = list.readParams(request.nextUrl.searchParams);
    const db = await getDb();
    await recordAuditEvent(db, {
      organizationId: auth.organization.id,
      actor: auth.actor,
      action: `${list.name}.exported`,
      after: { filters: Object.fromEntries(request.nextUrl.searchParams) },
    });
    return new Response(textStream(list.rows(db, { organizationId: auth.organization.id, input })), {
      headers: csvHeaders(list.name, auth.organization.timezone),
    });
  });
}
