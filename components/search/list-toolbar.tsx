import { ExportCsvLink } from "./export-csv-link";
import { FilterChip, PatientFilterChip } from "./patient-filter-chip";

/**
 * The row above a list: the patient it is narrowed to (with a way back to everyone's) and any other
 * filters that came from a link (an aging bucket, a period) on the left, "Export CSV" of the list as
 * it is filtered and sorted on the right (none when the list is empty).
 */
export function ListToolbar({
  patient,
  chips = [],
  exportHref,
}: {
  patient?: { name: string | null; removeHref: string };
  chips?: { label: string; value: string; removeHref: string }[];
  exportHref?: string;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-2">
      {patient || chips.length > 0 ? (
        <div className="flex flex-wrap items-center gap-2">
          {patient && <PatientFilterChip name={patient.name ?? "Unknown patient"} removeHref={patient.removeHref} />}
          {chips.map((chip) => (
            <FilterChip key={chip.label} {...chip} />
          ))}
        </div>
      ) : (
        <span />
      )}
      {exportHref && <ExportCsvLink href={exportHref} />}
    </div>
  );
}
