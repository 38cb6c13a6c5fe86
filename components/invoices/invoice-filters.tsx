"use client";

import { ListSearchForm, SearchButton } from "@/components/search/list-search-form";
import { Select } from "@/components/ui/select";

const STATUS_FILTERS = [
  { value: "", label: "All statuses" },
  { value: "draft", label: "Draft" },
  { value: "outstanding", label: "Unpaid (open or partly paid)" },
  { value: "open", label: "Open" },
  { value: "overdue", label: "Overdue" },
  { value: "partially_paid", label: "Partially paid" },
  { value: "paid", label: "Paid" },
  { value: "void", label: "Void" },
  { value: "uncollectible", label: "Uncollectible" },
] as const;

/**
 * Search (patient name, email, phone, MRN or invoice number) and status as a GET form: the filters
 * live in the URL. `keep` carries the patient filter and sort through a new search.
 */
export function InvoiceFilters({ query, status, keep }: { query: string; status: string; keep: Record<string, string | undefined> }) {
  return (
    <ListSearchForm
      action="/app/invoices"
      label="Invoices"
      inputId="invoice-search"
      inputLabel="Search invoices"
      placeholder="Patient name, email, phone, MRN or invoice number"
      query={query}
      keep={keep}
      clientNavigation
    >
      <div className="flex items-center gap-3">
        <label htmlFor="invoice-status" className="sr-only">
          Status
        </label>
        <Select
          id="invoice-status"
          name="status"
          defaultValue={status}
          className="flex-1 sm:w-44"
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
        >
          {STATUS_FILTERS.map((filter) => (
            <option key={filter.value} value={filter.value}>
              {filter.label}
            </option>
          ))}
        </Select>
        <SearchButton />
      </div>
    </ListSearchForm>
  );
}
