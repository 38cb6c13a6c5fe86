import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { ClearinghouseFileKind, ClearinghouseFileView, ImportSummaryLine } from "./clearinghouse.types";

export const ZListClearinghouseFilesQuery = z.strictObject({
  limit: z.coerce
    .number("Give a number.")
    .int("Give a whole number.")
    .min(1, "At least 1.")
    .max(200, "At most 200.")
    .optional()
    .describe("How many, newest first (default 50)"),
});

/** The clinic's imported clearinghouse files, newest first (without their content). */
export async function listClearinghouseFiles(db: Db | Tx, options: { organizationId: string; limit?: number }): Promise<ClearinghouseFileView[]> {
  const rows = await db.clearinghouseFile.findMany({
    where: { organizationId: options.organizationId },
    orderBy: [{ importedAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(options.limit ?? 50, 1), 200),
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
    id: row.id,
    kind: row.kind as ClearinghouseFileKind,
    source: row.source === "sftp" ? "sftp" : "upload",
    fileName: row.fileName,
    senderId: row.senderId,
    interchangeControlNumber: row.interchangeControlNumber,
    summary: row.summary as ImportSummaryLine[],
    importedBy: row.importedBy,
    importedAt: row.importedAt.toISOString(),
  }));
}
