"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

export const PRESET_LABELS = {
  this_month: "This month",
  last_month: "Last month",
  last_30_days: "Last 30 days",
  last_90_days: "Last 90 days",
  year_to_date: "Year to date",
  last_year: "Last year",
  custom: "Custom range",
} as const;
type Preset = keyof typeof PRESET_LABELS;

const GRANULARITY_LABELS = { day: "By day", week: "By week", month: "By month" } as const;

export type PeriodPickerValue = { preset: Preset; from: string; to: string; granularity: "" | keyof typeof GRANULARITY_LABELS };

/**
 * The period (a preset or a custom from–to range in the clinic's calendar days) and the granularity
 * as a GET form: everything lives in the URL (`?preset=&from=&to=&granularity=`), so a period can be
 * bookmarked and shared. A preset or granularity applies when chosen; a custom range with Apply.
 * Without JavaScript the form still submits.
 */
export function PeriodPicker({ action, value, errors = {} }: { action: string; value: PeriodPickerValue; errors?: Partial<Record<string, string>> }) {
  const router = useRouter();
  const [preset, setPreset] = useState<Preset>(value.preset);
  const [pending, startTransition] = useTransition();
  const custom = preset === "custom";

  const go = (form: HTMLFormElement) => {
    const search = new URLSearchParams();
    for (const [name, field] of new FormData(form)) if (typeof field === "string" && field) search.set(name, field);
    if (search.get("preset") !== "custom") {
      search.delete("from");
      search.delete("to");
    } else if (search.has("from") || search.has("to")) search.delete("preset");
    const query = search.toString();
    startTransition(() => router.push(query ? `${action}?${query}` : action, { scroll: false }));
  };

  return (
    <form
      method="get"
      action={action}
      aria-label="Choose the period"
      aria-busy={pending}
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        go(event.currentTarget);
      }}
    >
      <div className="grid gap-1.5">
        <label htmlFor="analytics-preset" className="text-sm font-medium">
          Period
        </label>
        <Select
          id="analytics-preset"
          name="preset"
          value={preset}
          className="w-44"
          aria-invalid={errors.preset ? true : undefined}
          onChange={(event) => {
            const next = event.currentTarget.value as Preset;
            setPreset(next);
            if (next !== "custom") go(event.currentTarget.form!);
          }}
        >
          {Object.entries(PRESET_LABELS).map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      {custom && (
        <>
          <div className="grid gap-1.5">
            <label htmlFor="analytics-from" className="text-sm font-medium">
              From
            </label>
            <Input
              id="analytics-from"
              name="from"
              type="date"
              defaultValue={value.from}
              className="w-40"
              required
              aria-invalid={errors.from ? true : undefined}
              aria-describedby={errors.from ? "analytics-period-errors" : undefined}
            />
          </div>
          <div className="grid gap-1.5">
            <label htmlFor="analytics-to" className="text-sm font-medium">
              To
            </label>
            <Input
              id="analytics-to"
              name="to"
              type="date"
              defaultValue={value.to}
              className="w-40"
              required
              aria-invalid={errors.to ? true : undefined}
              aria-describedby={errors.to ? "analytics-period-errors" : undefined}
            />
          </div>
        </>
      )}
      <div className="grid gap-1.5">
        <label htmlFor="analytics-granularity" className="text-sm font-medium">
          Granularity
        </label>
        <Select
          id="analytics-granularity"
          name="granularity"
          defaultValue={value.granularity}
          className="w-36"
          aria-invalid={errors.granularity ? true : undefined}
          onChange={(event) => {
            if (!custom) go(event.currentTarget.form!);
          }}
        >
          <option value="">Automatic</option>
          {Object.entries(GRANULARITY_LABELS).map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      <Button type="submit" variant={custom ? "default" : "outline"} loading={pending}>
        Apply
      </Button>
    </form>
  );
}
