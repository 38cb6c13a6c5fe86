import type { Metadata } from "next";
import { archivePayerAction, createPayerAction, updatePayerAction } from "@/lib/actions/insurance/payer-actions";
import { hasRole } from "@/lib/auth/roles";
import { requirePageAuth } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listPayers } from "@/lib/insurance/payers";
import { PayersSettings } from "@/components/insurance/payers-settings";

export const metadata: Metadata = { title: "Payers" };

/** The insurers the clinic bills: admins add, edit and archive them; everyone reads the list. */
export default async function PayersSettingsPage() {
  const auth = await requirePageAuth("viewer");
  const payers = await listPayers(await getDb(), { organizationId: auth.organization.id, includeArchived: true });
  const admin = hasRole(auth.role, "admin");
  return <PayersSettings payers={payers} actions={admin ? { create: createPayerAction, update: updatePayerAction, archive: archivePayerAction } : undefined} />;
}
