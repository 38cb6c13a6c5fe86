import { ExportCsvLink } from "./export-csv-link";
import { PatientFilterChip } from "./patient-filter-chip";

/**
 * The row above a list: the patient it is narrowed to (with a way back to everyone's) on the left,
 * "Export CSV" of the list as it is filtered and sorted on the right (none when the list is empty).
 */
export function ListToolbar({ patient, exportHref }: { patient?: { name: string | null; removeHref: string }; exportHref?: string }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-2">
      {patient ? <PatientFilterChip name={patient.name ?? "Unknown patient"} removeHref={patient.removeHref} /> : <span />}
      {exportHref && <ExportCsvLink href={exportHref} />}
    </div>
  );
}
