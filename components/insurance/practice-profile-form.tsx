"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/http/action";
import type { PracticeProfileView } from "@/lib/insurance/insurance.types";
import type { TPracticeProfileInput } from "@/lib/insurance/practice-profile";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { AddressFields, addressInput, addressValues, SelectField, TextField, useFieldErrors, type AddressValues } from "./form-bits";
import { PLACES_OF_SERVICE } from "./insurance-options";

type FormValues = {
  legalName: string;
  npi: string;
  ein: string;
  taxonomyCode: string;
  defaultPlaceOfService: string;
  address: AddressValues;
  contactName: string;
  contactPhone: string;
  providerSignatureOnFile: "yes" | "no";
};

const FIELDS = ["legalName", "npi", "ein", "taxonomyCode", "contactName", "contactPhone", "defaultPlaceOfService", "providerSignatureOnFile"];

function formValues(profile: PracticeProfileView | null): FormValues {
  return {
    legalName: profile?.legalName ?? "",
    npi: profile?.npi ?? "",
    ein: profile ? `${profile.ein.slice(0, 2)}-${profile.ein.slice(2)}` : "",
    taxonomyCode: profile?.taxonomyCode ?? "",
    address: addressValues(profile?.address ?? null),
    contactName: profile?.contactName ?? "",
    contactPhone: profile?.contactPhone ?? "",
    defaultPlaceOfService: profile?.defaultPlaceOfService ?? "11",
    providerSignatureOnFile: profile && !profile.providerSignatureOnFile ? "no" : "yes",
  };
}

/**
 * The billing provider every claim names (loop 2010AA): legal name, type 2 NPI, EIN, taxonomy and
 * a street address. Admins save it (`save`); everyone else reads it. Errors show under each field.
 */
export function PracticeProfileForm({
  profile,
  canEdit,
  save,
}: {
  profile: PracticeProfileView | null;
  canEdit: boolean;
  save?: (input: TPracticeProfileInput) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [values, setValues] = useState<FormValues>(() => formValues(profile));
  const [pending, startTransition] = useTransition();
  const fieldErrors = useFieldErrors((field) => FIELDS.includes(field) || field.startsWith("address."));
  const { error } = fieldErrors;
  const set =
    <K extends keyof FormValues>(key: K) =>
    (value: FormValues[K]) =>
      setValues((current) => ({ ...current, [key]: value }));
  const editable = canEdit && save !== undefined;
  const knownPlace = PLACES_OF_SERVICE.some((place) => place.code === values.defaultPlaceOfService);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!save) return;
    fieldErrors.clear();
    startTransition(async () => {
      const result = await save({
        legalName: values.legalName.trim(),
        npi: values.npi.trim(),
        ein: values.ein.trim(),
        taxonomyCode: values.taxonomyCode.trim(),
        address: addressInput(values.address),
        contactName: values.contactName.trim(),
        contactPhone: values.contactPhone.trim(),
        defaultPlaceOfService: values.defaultPlaceOfService,
        providerSignatureOnFile: values.providerSignatureOnFile === "yes",
      });
      if (!result.ok) return fieldErrors.show(result);
      toast.success("Practice details saved.");
      router.refresh();
    });
  }

  return (
    <Card>
      <form onSubmit={submit} noValidate aria-label="Practice details">
        <CardHeader>
          <CardTitle>Billing provider</CardTitle>
          <CardDescription>
            How your practice appears on every claim: the name registered with the payers, the practice&apos;s own (type 2) NPI, its tax ID and a street address
            (not a PO box).
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          {!canEdit && (
            <Alert data-testid="practice-read-only">
              <AlertDescription>Only admins can change the practice&apos;s details.</AlertDescription>
            </Alert>
          )}
          {profile === null && canEdit && (
            <Alert variant="warning">
              <AlertDescription>Claims cannot be validated until the practice&apos;s details are saved.</AlertDescription>
            </Alert>
          )}
          {fieldErrors.formError && (
            <Alert variant="destructive">
              <AlertDescription>{fieldErrors.formError}</AlertDescription>
            </Alert>
          )}
          <fieldset disabled={!editable || pending} className="grid gap-4">
            <legend className="sr-only">Billing provider</legend>
            <TextField
              id="practice-legal-name"
              label="Legal name"
              required
              maxLength={60}
              hint="As registered with the payers, up to 60 characters."
              error={error("legalName")}
              value={values.legalName}
              onChange={set("legalName")}
            />
            <div className="grid gap-4 sm:grid-cols-3">
              <TextField
                id="practice-npi"
                label="NPI"
                required
                inputMode="numeric"
                maxLength={12}
                hint="The practice's 10-digit type 2 NPI."
                error={error("npi")}
                value={values.npi}
                onChange={set("npi")}
              />
              <TextField
                id="practice-ein"
                label="Tax ID (EIN)"
                required
                maxLength={10}
                hint="Such as 12-3456789."
                error={error("ein")}
                value={values.ein}
                onChange={set("ein")}
              />
              <TextField
                id="practice-taxonomy"
                label="Taxonomy code"
                required
                maxLength={10}
                hint="10 characters ending in X, such as 207Q00000X."
                error={error("taxonomyCode")}
                value={values.taxonomyCode}
                onChange={set("taxonomyCode")}
              />
            </div>
            <AddressFields
              idPrefix="practice-address"
              errorPrefix="address"
              required
              zipHint="ZIP+4 (97201-1234): claims need all 9 digits for the billing provider."
              value={values.address}
              onChange={set("address")}
              error={error}
            />
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                id="practice-contact-name"
                label="Billing contact"
                maxLength={60}
                autoComplete="name"
                error={error("contactName")}
                value={values.contactName}
                onChange={set("contactName")}
              />
              <TextField
                id="practice-contact-phone"
                label="Contact phone"
                type="tel"
                inputMode="tel"
                autoComplete="tel"
                error={error("contactPhone")}
                value={values.contactPhone}
                onChange={set("contactPhone")}
              />
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              <SelectField
                id="practice-place-of-service"
                label="Default place of service"
                required
                hint="Used when a visit does not say where it took place."
                error={error("defaultPlaceOfService")}
                value={values.defaultPlaceOfService}
                onChange={set("defaultPlaceOfService")}
              >
                {!knownPlace && <option value={values.defaultPlaceOfService}>{values.defaultPlaceOfService}</option>}
                {PLACES_OF_SERVICE.map((place) => (
                  <option key={place.code} value={place.code}>
                    {place.code} – {place.label}
                  </option>
                ))}
              </SelectField>
              <SelectField
                id="practice-signature"
                label="Provider signature on file"
                required
                hint="Whether the payers hold the provider's signature (claim box 31)."
                error={error("providerSignatureOnFile")}
                value={values.providerSignatureOnFile}
                onChange={(value) => set("providerSignatureOnFile")(value === "no" ? "no" : "yes")}
              >
                <option value="yes">Yes</option>
                <option value="no">No</option>
              </SelectField>
            </div>
          </fieldset>
        </CardContent>
        {editable && (
          <CardFooter className="justify-end">
            <Button type="submit" loading={pending}>
              Save practice details
            </Button>
          </CardFooter>
        )}
      </form>
    </Card>
  );
}
