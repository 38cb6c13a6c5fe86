"use client";

import { Archive, ArchiveRestore } from "lucide-react";
import { setPatientArchivedAction } from "@/lib/actions/patients/set-patient-archived";
import { ConfirmButton } from "@/components/ui/confirm-button";

/** Archive (or restore) with a confirmation; patients are never deleted, so this is the way to tidy the list. */
export function ArchivePatientButton({ patientId, name, archived }: { patientId: string; name: string; archived: boolean }) {
  return (
    <ConfirmButton
      variant="outline"
      size="default"
      title={archived ? `Restore ${name}?` : `Archive ${name}?`}
      description={
        archived
          ? "They return to the patient list and can be billed again."
          : "They are hidden from the patient list and cannot get new invoices. Their invoices and history stay, and you can restore them at any time."
      }
      confirmLabel={archived ? "Restore patient" : "Archive patient"}
      onConfirm={() => setPatientArchivedAction({ patientId, archived: !archived })}
    >
      {archived ? <ArchiveRestore aria-hidden="true" /> : <Archive aria-hidden="true" />}
      {archived ? "Restore" : "Archive"}
    </ConfirmButton>
  );
}
