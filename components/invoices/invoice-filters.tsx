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

/** Status filter and number search as a GET form: the filters live in the URL. */
export function InvoiceFilters({ status, number }: { status: string; number: string }) {
  return (
    <Form action="/app/invoices" role="search" aria-label="Invoices" className="flex flex-col gap-3 sm:flex-row sm:items-center">
      <div className="relative flex-1">
        <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
        <label htmlFor="invoice-search" className="sr-only">
          Invoice number
        </label>
        <Input
          id="invoice-search"
          name="number"
          type="search"
          defaultValue={number}
          placeholder="Invoice number, e.g. INV-00012"
          autoComplete="off"
          maxLength={20}
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
