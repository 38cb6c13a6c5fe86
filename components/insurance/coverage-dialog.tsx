"use client";

import { useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/http/action";
import type { TCoverageInput } from "@/lib/insurance/coverages";
import type { CoveragePriority, CoverageView } from "@/lib/insurance/insurance.types";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { AddressFields, addressValues, optionalAddress, SelectField, TextField, useFieldErrors, type AddressValues } from "./form-bits";
import { ACCEPTS_ASSIGNMENT_OPTIONS, BENEFITS_ASSIGNED_OPTIONS, PRIORITY_OPTIONS, RELATIONSHIP_OPTIONS, SEX_OPTIONS } from "./insurance-options";

export type CoverageInputValues = TCoverageInput;

export type PayerOption = { id: string; name: string; payerId: string };

const TOP_FIELDS = [
  "payerId",
  "priority",
  "memberId",
  "groupNumber",
  "groupName",
  "relationshipCode",
  "subscriber",
  "effectiveFrom",
  "effectiveTo",
  "acceptsAssignment",
  "benefitsAssigned",
];

/**
 * Adds or edits a patient's coverage. The subscriber's details are asked only when the patient is
 * not the subscriber. Two coverages of one priority may not overlap in dates: the server says which
 * one is in the way, under Priority.
 */
export function CoverageDialog(props: {
  coverage: CoverageView | null;
  payers: PayerOption[];
  /** The priority a new coverage starts with (the first one free). */
  defaultPriority: CoveragePriority;
  today: string;
  onClose: () => void;
  onSave: (values: CoverageInputValues) => Promise<ActionResult<unknown>>;
  onSaved: () => void;
}) {
  const { coverage, payers } = props;
  const [values, setValues] = useState({
    payerId: coverage?.payer.id ?? (payers.length === 1 ? (payers[0]?.id ?? "") : ""),
    priority: String(coverage?.priority ?? props.defaultPriority),
    memberId: coverage?.memberId ?? "",
    groupNumber: coverage?.groupNumber ?? "",
    groupName: coverage?.groupName ?? "",
    relationshipCode: coverage?.relationshipCode ?? "18",
    firstName: coverage?.subscriber?.firstName ?? "",
    lastName: coverage?.subscriber?.lastName ?? "",
    middleName: coverage?.subscriber?.middleName ?? "",
    birthDate: coverage?.subscriber?.birthDate ?? "",
    sex: coverage?.subscriber?.sex ?? "",
    effectiveFrom: coverage?.effectiveFrom ?? props.today,
    effectiveTo: coverage?.effectiveTo ?? "",
    acceptsAssignment: coverage?.acceptsAssignment ?? "A",
    benefitsAssigned: coverage?.benefitsAssigned ?? "Y",
  });
  const [address, setAddress] = useState<AddressValues>(() => addressValues(coverage?.subscriber?.address ?? null));
  const [pending, startTransition] = useTransition();
  const fieldErrors = useFieldErrors((field) => TOP_FIELDS.includes(field.split(".")[0] ?? field));
  const { error } = fieldErrors;
  const set = (key: keyof typeof values) => (value: string) => setValues((current) => ({ ...current, [key]: value }));
  const self = values.relationshipCode === "18";
  // A payer archived since keeps its place in an existing coverage's select.
  const payerOptions = coverage && !payers.some((payer) => payer.id === coverage.payer.id) ? [coverage.payer, ...payers] : payers;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    fieldErrors.clear();
    if (values.payerId === "") return fieldErrors.setLocal({ payerId: ["Choose the payer."] });
    startTransition(async () => {
      const result = await props.onSave({
        payerId: values.payerId,
        priority: Number(values.priority),
        memberId: values.memberId.trim(),
        groupNumber: values.groupNumber.trim(),
        groupName: values.groupName.trim(),
        relationshipCode: values.relationshipCode as TCoverageInput["relationshipCode"],
        subscriber: self
          ? null
          : {
              firstName: values.firstName.trim(),
              lastName: values.lastName.trim(),
              middleName: values.middleName.trim(),
              birthDate: values.birthDate,
              sex: values.sex === "" ? null : (values.sex as "F" | "M" | "U"),
              address: optionalAddress(address) ?? null,
            },
        effectiveFrom: values.effectiveFrom,
        effectiveTo: values.effectiveTo,
        acceptsAssignment: values.acceptsAssignment as TCoverageInput["acceptsAssignment"],
        benefitsAssigned: values.benefitsAssigned as TCoverageInput["benefitsAssigned"],
      });
      if (result.ok) return props.onSaved();
      fieldErrors.show(result);
    });
  }

  return (
    <Dialog open onOpenChange={(open) => !open && !pending && props.onClose()}>
      <DialogContent className="sm:max-w-2xl">
        <form onSubmit={submit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>{coverage ? `Edit ${coverage.payer.name} coverage` : "Add a coverage"}</DialogTitle>
            <DialogDescription>As on the insurance card. Every change is kept in the coverage&apos;s history.</DialogDescription>
          </DialogHeader>
          {fieldErrors.formError && (
            <Alert variant="destructive">
              <AlertDescription>{fieldErrors.formError}</AlertDescription>
            </Alert>
          )}
          <div className="grid gap-4 sm:grid-cols-3">
            <SelectField
              id="coverage-payer"
              className="sm:col-span-2"
              label="Payer"
              required
              error={error("payerId")}
              hint={payers.length === 0 ? "No payers yet: an admin adds them in Settings → Payers." : undefined}
              value={values.payerId}
              onChange={set("payerId")}
            >
              <option value="">Choose a payer…</option>
              {payerOptions.map((payer) => (
                <option key={payer.id} value={payer.id}>
                  {payer.name} ({payer.payerId})
                </option>
              ))}
            </SelectField>
            <SelectField id="coverage-priority" label="Priority" required error={error("priority")} value={values.priority} onChange={set("priority")}>
              {PRIORITY_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField
              id="coverage-member-id"
              label="Member id"
              required
              maxLength={80}
              error={error("memberId")}
              value={values.memberId}
              onChange={set("memberId")}
            />
            <TextField
              id="coverage-group-number"
              label="Group number"
              maxLength={50}
              error={error("groupNumber")}
              value={values.groupNumber}
              onChange={set("groupNumber")}
            />
            <TextField
              id="coverage-group-name"
              label="Group name"
              maxLength={60}
              error={error("groupName")}
              value={values.groupName}
              onChange={set("groupName")}
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              id="coverage-effective-from"
              label="Effective from"
              required
              type="date"
              error={error("effectiveFrom")}
              value={values.effectiveFrom}
              onChange={set("effectiveFrom")}
            />
            <TextField
              id="coverage-effective-to"
              label="Ends on"
              type="date"
              hint="The last day covered; empty while it goes on."
              error={error("effectiveTo")}
              value={values.effectiveTo}
              onChange={set("effectiveTo")}
            />
          </div>
          <SelectField
            id="coverage-relationship"
            label="Patient's relationship to the subscriber"
            required
            error={error("relationshipCode")}
            value={values.relationshipCode}
            onChange={set("relationshipCode")}
          >
            {RELATIONSHIP_OPTIONS.map((option) => (
              <option key={option.code} value={option.code}>
                {option.label}
              </option>
            ))}
          </SelectField>
          {!self && (
            <fieldset className="grid gap-4 rounded-lg border p-4" data-testid="subscriber-fields">
              <legend className="px-1 text-sm font-semibold">Subscriber (the insured person)</legend>
              {error("subscriber") && (
                <p role="alert" className="text-sm font-medium text-destructive">
                  {error("subscriber")}
                </p>
              )}
              <div className="grid gap-4 sm:grid-cols-3">
                <TextField
                  id="subscriber-first-name"
                  label="First name"
                  required
                  maxLength={35}
                  error={error("subscriber.firstName")}
                  value={values.firstName}
                  onChange={set("firstName")}
                />
                <TextField
                  id="subscriber-middle-name"
                  label="Middle name"
                  maxLength={25}
                  error={error("subscriber.middleName")}
                  value={values.middleName}
                  onChange={set("middleName")}
                />
                <TextField
                  id="subscriber-last-name"
                  label="Last name"
                  required
                  maxLength={60}
                  error={error("subscriber.lastName")}
                  value={values.lastName}
                  onChange={set("lastName")}
                />
              </div>
              <div className="grid gap-4 sm:grid-cols-2">
                <TextField
                  id="subscriber-birth-date"
                  label="Date of birth"
                  required
                  type="date"
                  error={error("subscriber.birthDate")}
                  value={values.birthDate}
                  onChange={set("birthDate")}
                />
                <SelectField id="subscriber-sex" label="Sex" error={error("subscriber.sex")} value={values.sex} onChange={set("sex")}>
                  <option value="">Not known</option>
                  {SEX_OPTIONS.map((option) => (
                    <option key={option.code} value={option.code}>
                      {option.label}
                    </option>
                  ))}
                </SelectField>
              </div>
              <AddressFields idPrefix="subscriber-address" errorPrefix="subscriber.address" value={address} onChange={setAddress} error={error} />
            </fieldset>
          )}
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              id="coverage-accepts-assignment"
              label="Accepts assignment"
              required
              hint="Whether the clinic takes the payer's allowed amount."
              error={error("acceptsAssignment")}
              value={values.acceptsAssignment}
              onChange={set("acceptsAssignment")}
            >
              {ACCEPTS_ASSIGNMENT_OPTIONS.map((option) => (
                <option key={option.code} value={option.code}>
                  {option.label}
                </option>
              ))}
            </SelectField>
            <SelectField
              id="coverage-benefits-assigned"
              label="Benefits assigned"
              required
              hint="Whether the payer pays the clinic directly."
              error={error("benefitsAssigned")}
              value={values.benefitsAssigned}
              onChange={set("benefitsAssigned")}
            >
              {BENEFITS_ASSIGNED_OPTIONS.map((option) => (
                <option key={option.code} value={option.code}>
                  {option.label}
                </option>
              ))}
            </SelectField>
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" loading={pending}>
              {coverage ? "Save coverage" : "Add coverage"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
