import type { Metadata } from "next";
import { importClearinghouseFileAction, saveClearinghouseSettingsAction } from "@/lib/actions/clearinghouse/clearinghouse-actions";
import { hasRole } from "@/lib/auth/roles";
import { requirePageAuth } from "@/lib/auth/session";
import type { ClearinghouseFileView, ImportSummaryLine } from "@/lib/clearinghouse/clearinghouse.types";
import { getClearinghouseSettings } from "@/lib/clearinghouse/settings";
import { getDb, type Db } from "@/lib/db/client";
import { ClearinghouseFileList, ClearinghouseImport } from "@/components/insurance/clearinghouse-files";
import { ClearinghouseSettingsForm } from "@/components/insurance/clearinghouse-settings-form";

export const metadata: Metadata = { title: "Clearinghouse settings" };

const RECENT_FILES = 20;

/** The files received lately, newest first (their content stays on the server). */
async function recentFiles(db: Db, organizationId: string): Promise<ClearinghouseFileView[]> {
  const rows = await db.clearinghouseFile.findMany({
    where: { organizationId },
    orderBy: { importedAt: "desc" },
    take: RECENT_FILES,
    select: {
      id: true,
      kind: true,
      source: true,
      fileName: true,
      senderId: true,
      interchangeControlNumber: true,
      summary: true,
      importedBy: true,
      importedAt: true,
    },
  });
  return rows.map((row) => ({
    ...row,
    kind: row.kind as ClearinghouseFileView["kind"],
    source: row.source === "sftp" ? "sftp" : "upload",
    summary: Array.isArray(row.summary) ? (row.summary as ImportSummaryLine[]) : [],
    importedAt: row.importedAt.toISOString(),
  }));
}

/**
 * How claims and their answers travel: admins change the connection; billing staff import the
 * clearinghouse's files by hand; viewers read.
 */
export default async function ClearinghouseSettingsPage() {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const organizationId = auth.organization.id;
  const [settings, files] = await Promise.all([getClearinghouseSettings(db, { organizationId }), recentFiles(db, organizationId)]);
  const admin = hasRole(auth.role, "admin");
  const canImport = hasRole(auth.role, "billing") && settings !== null;
  return (
    <div className="grid gap-6">
      <ClearinghouseSettingsForm
        settings={settings}
        timeZone={auth.organization.timezone}
        canEdit={admin}
        save={admin ? saveClearinghouseSettingsAction : undefined}
      />
      <ClearinghouseImport importFile={canImport ? importClearinghouseFileAction : undefined} configured={settings !== null} />
      <ClearinghouseFileList files={files} timeZone={auth.organization.timezone} />
    </div>
  );
}
