"use client";

import { toast } from "sonner";
import { useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { createPatientAction } from "@/lib/actions/patients/create-patient";
import { updatePatientAction } from "@/lib/actions/patients/update-patient";
import type { PostalAddressFields } from "@/lib/addresses/postal-address";
import type { FieldErrors } from "@/lib/errors";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { RELEASE_OF_INFORMATION_OPTIONS as RELEASE_CHOICES, SEX_OPTIONS as SEX_CHOICES } from "@/components/insurance/insurance-options";

export type PatientFormValues = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  externalId: string;
  /** F, M, U or "" (not recorded): claims carry it. */
  sex: "" | "F" | "M" | "U";
  /** CLM09: Y (signed statement on file), I (informed consent only) or "" (not recorded). */
  releaseOfInformation: "" | "Y" | "I";
} & PostalAddressFields;

type FieldName = keyof PatientFormValues;
type TextFieldName = Exclude<FieldName, "sex" | "releaseOfInformation">;

const EMPTY: PatientFormValues = {
  firstName: "",
  lastName: "",
  email: "",
  phone: "",
  dateOfBirth: "",
  externalId: "",
  sex: "",
  releaseOfInformation: "",
  addressLine1: "",
  addressLine2: "",
  city: "",
  region: "",
  postalCode: "",
  country: "US",
};
const EMAIL_HINT = "Invoices and receipts are sent here.";
const MRN_HINT = "The patient's id in your EHR, if you use one.";
const PHONE_HINT = "With the area code, e.g. +1 503 555 0142.";
const SEX_HINT = "As the insurer has it; insurance claims need it.";
const RELEASE_HINT = "Whether the patient signed the release of medical information that insurance claims need.";

/** Creates a patient, or edits one when `patientId` is given; errors show under each field. */
export function PatientForm({ patientId, initialValues = EMPTY }: { patientId?: string; initialValues?: PatientFormValues }) {
  const router = useRouter();
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const cancelHref = patientId ? `/app/patients/${patientId}` : "/app/patients";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: FieldName) => String(form.get(name) ?? "");
    const input: PatientFormValues = {
      firstName: value("firstName"),
      lastName: value("lastName"),
      email: value("email"),
      phone: value("phone"),
      dateOfBirth: value("dateOfBirth"),
      externalId: value("externalId"),
      sex: value("sex") as PatientFormValues["sex"],
      releaseOfInformation: value("releaseOfInformation") as PatientFormValues["releaseOfInformation"],
      addressLine1: value("addressLine1"),
      addressLine2: value("addressLine2"),
      city: value("city"),
      region: value("region"),
      postalCode: value("postalCode"),
      country: value("country") || "US",
    };
    setFields({});
    setFormError(null);
    startTransition(async () => {
      const result = patientId ? await updatePatientAction({ patientId, ...input }) : await createPatientAction(input);
      if (result.ok) {
        toast.success(patientId ? "Patient details saved." : "Patient created.");
        router.push(`/app/patients/${result.data.id}`);
        return;
      }
      setFields(result.error.fields ?? {});
      setFormError(result.error.fields ? "Check the highlighted fields." : result.error.message);
    });
  }

  const text = (
    name: TextFieldName,
    label: string,
    options: { required?: boolean; autoComplete?: string; hint?: string; type?: string; inputMode?: "tel" | "email" | "numeric" } = {},
  ) => {
    const error = fields[name]?.[0];
    const id = `patient-${name}`;
    return (
      <FormField label={label} htmlFor={id} error={error} hint={options.hint} required={options.required}>
        <Input
          {...fieldControlProps(id, { error, hint: options.hint, required: options.required })}
          name={name}
          type={options.type ?? "text"}
          inputMode={options.inputMode}
          defaultValue={initialValues[name]}
          autoComplete={options.autoComplete ?? "off"}
        />
      </FormField>
    );
  };

  const choice = (name: "sex" | "releaseOfInformation", label: string, options: readonly { code: string; label: string }[], hint: string) => {
    const error = fields[name]?.[0];
    const id = `patient-${name}`;
    return (
      <FormField label={label} htmlFor={id} error={error} hint={hint}>
        <Select {...fieldControlProps(id, { error, hint })} name={name} defaultValue={initialValues[name]}>
          <option value="">Not recorded</option>
          {options.map((option) => (
            <option key={option.code} value={option.code}>
              {option.label}
            </option>
          ))}
        </Select>
      </FormField>
    );
  };

  return (
    <Card>
      <form method="post" onSubmit={onSubmit} noValidate>
        <CardHeader>
          <CardTitle>Patient details</CardTitle>
          <CardDescription>Only a name is required. Patient details are never shared with the payment processor.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          <div className="grid gap-4 sm:grid-cols-2">
            {text("firstName", "First name", { required: true })}
            {text("lastName", "Last name", { required: true })}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            {text("email", "Email", { type: "email", inputMode: "email", hint: EMAIL_HINT })}
            {text("phone", "Phone", { type: "tel", inputMode: "tel", hint: PHONE_HINT })}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            {text("dateOfBirth", "Date of birth", { type: "date" })}
            {text("externalId", "External id (MRN)", { hint: MRN_HINT })}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            {choice("sex", "Sex", SEX_CHOICES, SEX_HINT)}
            {choice("releaseOfInformation", "Release of information", RELEASE_CHOICES, RELEASE_HINT)}
          </div>
          <fieldset className="grid gap-4">
            <legend className="mb-4 w-full border-t pt-4 text-base font-semibold">Address</legend>
            <div className="grid gap-4 sm:grid-cols-2">
              {text("addressLine1", "Street address", { autoComplete: "address-line1" })}
              {text("addressLine2", "Apartment, suite, etc.", { autoComplete: "address-line2" })}
            </div>
            <div className="grid gap-4 sm:grid-cols-6">
              <div className="sm:col-span-2">{text("city", "City", { autoComplete: "address-level2" })}</div>
              <div className="sm:col-span-1">{text("region", "State", { autoComplete: "address-level1", hint: "e.g. OR" })}</div>
              <div className="sm:col-span-2">{text("postalCode", "ZIP code", { autoComplete: "postal-code", hint: "97201 or 97201-1234" })}</div>
              <div className="sm:col-span-1">{text("country", "Country", { autoComplete: "country", hint: "e.g. US" })}</div>
            </div>
          </fieldset>
        </CardContent>
        <CardFooter className="justify-end">
          <Link href={cancelHref} className={buttonVariants({ variant: "outline" })}>
            Cancel
          </Link>
          <Button type="submit" loading={pending}>
            {patientId ? "Save changes" : "Create patient"}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
