import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { zodFieldErrors } from "@/lib/http/error-response";
import { withAuth } from "@/lib/http/route";
import { exportJournalsStream, ZLedgerExportInput } from "@/lib/ledger/export-journals";

export const dynamic = "force-dynamic";

/** The ledger export for admins in the dashboard (same export as GET /api/v1/ledger/export). */
export const GET = withAuth("/app/settings/ledger-export/download", { role: "admin" }, async (request, { auth }) => {
  const parsed = ZLedgerExportInput.safeParse(Object.fromEntries([...request.nextUrl.searchParams].filter(([, value]) => value !== "")));
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", "Some fields are invalid.", { fields: zodFieldErrors(parsed.error) });
  const input = parsed.data;
  const csv = input.format === "csv";
  return new Response(exportJournalsStream(await getDb(), { organizationId: auth.organization.id, input }), {
    headers: {
      "Content-Type": csv ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="carebill-ledger${input.from ? `-${input.from}` : ""}${input.to ? `-${input.to}` : ""}.${csv ? "csv" : "journal"}"`,
      "Cache-Control": "no-store",
    },
  });
});
