"use client";

import Form from "next/form";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/**
 * Search and "Show archived" for the patient list (`keep` carries the sort through a new search). A GET form, so the query lives in the URL
 * (shareable, back button works) and it still works before JavaScript loads.
 */
export function PatientFilters({ query, showArchived, keep }: { query: string; showArchived: boolean; keep: Record<string, string | undefined> }) {
  return (
    <Form action="/app/patients" role="search" aria-label="Patients" className="flex flex-col gap-3 sm:flex-row sm:items-center">
      {Object.entries(keep).map(([name, value]) => value && <input key={name} type="hidden" name={name} value={value} />)}
      <div className="relative flex-1">
        <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
        <label htmlFor="patient-search" className="sr-only">
          Search patients
        </label>
        <Input
          id="patient-search"
          name="q"
          type="search"
          defaultValue={query}
          placeholder="Name, email, phone or MRN"
          autoComplete="off"
          maxLength={100}
          className="pl-9"
        />
      </div>
      <div className="flex items-center justify-between gap-4">
        <label className="flex cursor-pointer items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="archived"
            value="1"
            defaultChecked={showArchived}
            onChange={(event) => event.currentTarget.form?.requestSubmit()}
            className="size-4 accent-primary"
          />
          Show archived
        </label>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </div>
    </Form>
  );
}
