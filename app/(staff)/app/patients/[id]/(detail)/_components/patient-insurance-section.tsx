import {
  archiveCoverageAction,
  createCoverageAction,
  requestEligibilityCheckAction,
  saveCoverageBenefitsAction,
  updateCoverageAction,
} from "@/lib/actions/insurance/coverage-actions";
import { getClearinghouseSettings } from "@/lib/clearinghouse/settings";
import { getDb } from "@/lib/db/client";
import { listPatientCoverages } from "@/lib/insurance/coverages";
import { listPayers } from "@/lib/insurance/payers";
import { todayIn } from "@/lib/invoices/dates";
import { PatientInsuranceCard } from "@/components/insurance/patient-insurance-card";

type PatientInsuranceSectionProps = { organizationId: string; patientId: string; timeZone: string; canWrite: boolean; className?: string };

/** What to do with a 270 until its 271 arrives, by how the clinic exchanges files. */
function eligibilityWaitingHint(connection: "manual" | "sftp" | null): string {
  return connection === "sftp"
    ? "Carebill sends it to the clearinghouse by SFTP and fetches the answer; it shows here once it arrives."
    : "Download the 270 and upload it to your clearinghouse; then import its 271 answer in Settings → Clearinghouse.";
}

/** The patient's coverages (in force by priority, then ended), with the payers a new coverage may name. */
export async function PatientInsuranceSection({ organizationId, patientId, timeZone, canWrite, className }: PatientInsuranceSectionProps) {
  const db = await getDb();
  const [coverages, payers, clearinghouse] = await Promise.all([
    listPatientCoverages(db, { organizationId, patientId }),
    canWrite ? listPayers(db, { organizationId }) : Promise.resolve([]),
    getClearinghouseSettings(db, { organizationId }),
  ]);
  return (
    <PatientInsuranceCard
      patientId={patientId}
      coverages={coverages}
      payers={payers.map((payer) => ({ id: payer.id, name: payer.name, payerId: payer.payerId }))}
      today={todayIn(timeZone)}
      timeZone={timeZone}
      eligibilityWaitingHint={eligibilityWaitingHint(clearinghouse?.connection ?? null)}
      actions={
        canWrite
          ? {
              create: createCoverageAction,
              update: updateCoverageAction,
              archive: archiveCoverageAction,
              saveBenefits: saveCoverageBenefitsAction,
              checkEligibility: requestEligibilityCheckAction,
            }
          : undefined
      }
      className={className}
    />
  );
}
