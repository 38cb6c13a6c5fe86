import type { ReactNode } from "react";
import Form from "next/form";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** Hidden inputs that carry a list's other parameters (patient filter, sort) through a new search; empty ones are left out. */
export function KeptParams({ values }: { values: Record<string, string | undefined> }) {
  return Object.entries(values).map(([name, value]) => value && <input key={name} type="hidden" name={name} value={value} />);
}

/** The search form's submit button, for forms that put other controls before it. */
export function SearchButton() {
  return (
    <Button type="submit" variant="secondary">
      Search
    </Button>
  );
}

/**
 * A list's search as a GET form (the query lives in the URL: shareable, the back button works, and
 * it works before JavaScript loads): a search box named `q`, then `children` (other controls and
 * the submit button; by default only a Search button). `keep` carries the list's other parameters.
 */
export function ListSearchForm({
  action,
  label,
  inputId,
  inputLabel,
  placeholder,
  query,
  keep,
  clientNavigation = false,
  children = <SearchButton />,
}: {
  action: string;
  /** The accessible name of the form (a search landmark). */
  label: string;
  inputId: string;
  /** The accessible name of the search box. */
  inputLabel: string;
  placeholder: string;
  query: string | undefined;
  keep: Record<string, string | undefined>;
  /** Submit with next/form: the list loads without a full page reload. */
  clientNavigation?: boolean;
  children?: ReactNode;
}) {
  const content = (
    <>
      <KeptParams values={keep} />
      <div className="relative flex-1">
        <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
        <label htmlFor={inputId} className="sr-only">
          {inputLabel}
        </label>
        <Input id={inputId} name="q" type="search" defaultValue={query} placeholder={placeholder} autoComplete="off" maxLength={100} className="pl-9" />
      </div>
      {children}
    </>
  );
  const className = "flex flex-col gap-3 sm:flex-row sm:items-center";
  return clientNavigation ? (
    <Form action={action} role="search" aria-label={label} className={className}>
      {content}
    </Form>
  ) : (
    <form action={action} role="search" aria-label={label} className={className}>
      {content}
    </form>
  );
}
