import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db/client";
import { loadCms1500Data } from "./cms1500-data";
import { renderCms1500Pdf } from "./cms1500-pdf";

/**
 * A claim's CMS-1500 for a signed-in person or an API key, with its file name ("CLM-000123-cms1500.pdf").
 * The form names the patient, their diagnoses and care (PHI), so each download records a
 * `claim.cms1500_viewed` audit entry. Another organization's claim is NOT_FOUND.
 */
export async function viewCms1500Pdf(
  db: Db,
  options: { organizationId: string; claimId: string; actor: AuditActor; now?: Date },
): Promise<{ filename: string; pdf: Buffer }> {
  const data = await loadCms1500Data(db, options);
  const pdf = await renderCms1500Pdf(data);
  await recordAuditEvent(db, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "claim.cms1500_viewed",
    target: { type: "claim", id: options.claimId },
  });
  return { filename: `${data.claimNumber}-cms1500.pdf`, pdf };
}
