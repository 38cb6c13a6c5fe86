import Form from "next/form";
import { KeptParams } from "@/components/search/list-search-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";

export const AGE_FILTERS = [
  { value: "", label: "Any age" },
  { value: "0-30", label: "0–30 days" },
  { value: "31-60", label: "31–60 days" },
  { value: "61-90", label: "61–90 days" },
  { value: "91-", label: "Over 90 days" },
] as const;

export type ClaimFilterValues = { q: string; payer: string; age: string; amountMin: string; amountMax: string };

/**
 * The work list's filters as a GET form (they live in the URL): claim number or patient, payer,
 * age since the date of service, and the claim's total between two amounts. `keep` carries the tab.
 */
export function ClaimFilters({
  values,
  payers,
  currency,
  keep,
}: {
  values: ClaimFilterValues;
  payers: { id: string; name: string }[];
  currency: string;
  keep: Record<string, string | undefined>;
}) {
  return (
    <Form action="/app/claims" role="search" aria-label="Claims" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1.2fr_1fr_1fr_1fr_auto] lg:items-end">
      <KeptParams values={keep} />
      <div className="grid gap-1.5">
        <Label htmlFor="claim-search">Claim number or patient</Label>
        <Input id="claim-search" name="q" type="search" defaultValue={values.q} placeholder="CLM-000123 or a name" autoComplete="off" maxLength={100} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="claim-payer">Payer</Label>
        <Select id="claim-payer" name="payer" defaultValue={values.payer}>
          <option value="">All payers</option>
          {payers.map((payer) => (
            <option key={payer.id} value={payer.id}>
              {payer.name}
            </option>
          ))}
        </Select>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="claim-age">Age</Label>
        <Select id="claim-age" name="age" defaultValue={values.age}>
          {AGE_FILTERS.map((age) => (
            <option key={age.value} value={age.value}>
              {age.label}
            </option>
          ))}
        </Select>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="claim-amount-min">Total from ({currency})</Label>
        <Input id="claim-amount-min" name="amountMin" inputMode="decimal" defaultValue={values.amountMin} placeholder="0.00" autoComplete="off" />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="claim-amount-max">Total up to ({currency})</Label>
        <Input id="claim-amount-max" name="amountMax" inputMode="decimal" defaultValue={values.amountMax} placeholder="Any" autoComplete="off" />
      </div>
      <Button type="submit" variant="secondary" className="sm:w-fit">
        Filter
      </Button>
    </Form>
  );
}
