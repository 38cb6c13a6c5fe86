import Form from "next/form";
import Link from "next/link";
import { ChevronRight, Search, SearchX, UserPlus } from "lucide-react";
import type { PatientView } from "@/lib/patients/patients.types";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { formatPhone } from "@/lib/validation/phone";

/** What the picker is for: where it searches and links to, and its words. */
export type PatientPickerPurpose = {
  /** The page that takes `?q=` to search and `?patientId=` once a patient is picked. */
  path: string;
  title: string;
  emptyDescription: string;
  pickLabel: string;
};

export const BILL_PATIENT: PatientPickerPurpose = {
  path: "/app/invoices/new",
  title: "Who are you billing?",
  emptyDescription: "Add the patient first, then bill them.",
  pickLabel: "Bill this patient",
};

export const RECORD_PAYMENT_FOR_PATIENT: PatientPickerPurpose = {
  path: "/app/payments/new",
  title: "Who is paying?",
  emptyDescription: "Payments are recorded for a patient's invoices. Add the patient and bill them first.",
  pickLabel: "Record a payment",
};

/** Step one of a new invoice or payment when no patient was given: search, then pick the patient. */
export function PatientPicker({
  patients,
  query,
  country,
  purpose = BILL_PATIENT,
}: {
  patients: PatientView[];
  query: string;
  /** The clinic's country: its phone numbers are shown the national way. */
  country: string;
  purpose?: PatientPickerPurpose;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{purpose.title}</CardTitle>
        <CardDescription>{query ? "Patients matching your search." : "Recently added patients. Search to find anyone else."}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Form action={purpose.path} role="search" aria-label="Patients" className="flex gap-2">
          <div className="relative flex-1">
            <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
            <label htmlFor="picker-search" className="sr-only">
              Search patients
            </label>
            <Input
              id="picker-search"
              name="q"
              type="search"
              defaultValue={query}
              placeholder="Name, email, phone or MRN"
              autoComplete="off"
              maxLength={100}
              className="pl-9"
            />
          </div>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </Form>
        {patients.length === 0 ? (
          <EmptyState
            icon={SearchX}
            title={query ? `No patients match “${query}”` : "No patients yet"}
            description={purpose.emptyDescription}
            action={
              <Link href="/app/patients/new" className={buttonVariants({ variant: "outline" })}>
                <UserPlus aria-hidden="true" /> New patient
              </Link>
            }
          />
        ) : (
          <ul className="divide-y rounded-lg border">
            {patients.map((patient) => (
              <li key={patient.id}>
                <Link
                  href={`${purpose.path}?patientId=${patient.id}`}
                  className="flex items-center gap-3 px-4 py-3 transition-colors hover:bg-muted/50 focus-visible:bg-muted/50"
                >
                  <span className="grid min-w-0 flex-1 gap-0.5">
                    <span className="font-medium">
                      {patient.lastName}, {patient.firstName}
                    </span>
                    <span className="truncate text-sm text-muted-foreground">
                      {[patient.externalId && `MRN ${patient.externalId}`, patient.email, patient.phone && formatPhone(patient.phone, country)]
                        .filter(Boolean)
                        .join(" · ") || "No contact details"}
                    </span>
                  </span>
                  <span className="hidden text-sm font-medium text-primary sm:inline">{purpose.pickLabel}</span>
                  <ChevronRight aria-hidden="true" className="size-4 text-muted-foreground" />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
