import { apiRoute, parseQuery } from "@/lib/http/api-route";
import { exportJournalsStream, ZLedgerExportInput } from "@/lib/ledger/export-journals";

export const dynamic = "force-dynamic";

/** The journals for a date range as an hledger/ledger-cli journal or CSV, streamed. */
export const GET = apiRoute("/api/v1/ledger/export", async (request, { db, principal }) => {
  const input = parseQuery(request, ZLedgerExportInput);
  const csv = input.format === "csv";
  return new Response(exportJournalsStream(db, { organizationId: principal.organizationId, input }), {
    headers: {
      "Content-Type": csv ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="carebill-ledger${input.from ? `-${input.from}` : ""}${input.to ? `-${input.to}` : ""}.${csv ? "csv" : "journal"}"`,
      "Cache-Control": "no-store",
    },
  });
});
