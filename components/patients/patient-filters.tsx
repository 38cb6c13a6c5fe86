"use client";

import { ListSearchForm, SearchButton } from "@/components/search/list-search-form";

/**
 * Search and "Show archived" for the patient list (`keep` carries the sort through a new search). A GET form, so the query lives in the URL
 * (shareable, back button works) and it still works before JavaScript loads.
 */
export function PatientFilters({ query, showArchived, keep }: { query: string; showArchived: boolean; keep: Record<string, string | undefined> }) {
  return (
    <ListSearchForm
      action="/app/patients"
      label="Patients"
      inputId="patient-search"
      inputLabel="Search patients"
      placeholder="Name, email, phone or MRN"
      query={query}
      keep={keep}
      clientNavigation
    >
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
        <SearchButton />
      </div>
    </ListSearchForm>
  );
}
