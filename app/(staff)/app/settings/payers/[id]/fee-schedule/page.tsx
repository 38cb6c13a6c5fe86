import type { Metadata } from "next";
import { deletePayerFeeAction, savePayerFeeAction } from "@/lib/actions/insurance/fee-schedule-actions";
import { hasRole } from "@/lib/auth/roles";
import { requirePageAuth } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { orNotFound } from "@/lib/http/or-not-found";
import { listPayerFeeSchedule } from "@/lib/insurance/fee-schedule";
import { getPayerOrThrow } from "@/lib/insurance/payers";
import { FeeScheduleSettings } from "@/components/insurance/fee-schedule-settings";

export const metadata: Metadata = { title: "Fee schedule" };

/** One payer's fee schedule: billing staff and admins edit it; viewers read it. Another clinic's payer is a 404. */
export default async function PayerFeeSchedulePage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const organizationId = auth.organization.id;
  const payer = await orNotFound((await params).id, (payerId) => getPayerOrThrow(db, { organizationId, payerId }));
  const fees = await listPayerFeeSchedule(db, { organizationId, payerId: payer.id });
  const canEdit = hasRole(auth.role, "billing");
  return <FeeScheduleSettings payer={payer} fees={fees} actions={canEdit ? { save: savePayerFeeAction, remove: deletePayerFeeAction } : undefined} />;
}
