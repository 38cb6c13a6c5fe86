"use client";

import Form from "next/form";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
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
    <Form action="/app/invoices" role="search" aria-label="Invoices" className="flex flex-col gap-3 sm:flex-row sm:items-center">
      {Object.entries(keep).map(([name, value]) => value && <input key={name} type="hidden" name={name} value={value} />)}
      <div className="relative flex-1">
        <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
        <label htmlFor="invoice-search" className="sr-only">
          Search invoices
        </label>
        <Input
          id="invoice-search"
          name="q"
          type="search"
          defaultValue={query}
          placeholder="Patient name, email, phone, MRN or invoice number"
          autoComplete="off"
          maxLength={100}
          className="pl-9"
        />
      </div>
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
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </div>
    </Form>
  );
}
