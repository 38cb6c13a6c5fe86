import { formatDateTime, isoInstant } from "@/lib/dates/format-date";

/**
 * An instant as people read it where the moment matters (audit log, sign-ins, API key use): the
 * clinic's wall-clock time with its zone named ("Dec 4, 2026, 10:56 AM EST"), and the exact ISO
 * instant in the tooltip and the <time> element for machines and the curious.
 */
export function ClinicTime({ value, timeZone, seconds = false }: { value: Date | string; timeZone: string; seconds?: boolean }) {
  const iso = isoInstant(value);
  return (
    <time dateTime={iso} title={iso}>
      {formatDateTime(value, { timeZone }, { zoneName: true, seconds })}
    </time>
  );
}
