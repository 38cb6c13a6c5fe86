"use client";

import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Check, Plus, Trash2 } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import type { TVisitInput } from "@/lib/claims/visits";
import type { TUpdateDraftClaimInput } from "@/lib/claims/edit-claim";
import { formatMoney } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils/cn";
import {
  fromServerErrors,
  lineKey,
  liveErrors,
  liveTotal,
  MAX_DIAGNOSES,
  MAX_LINES,
  MAX_POINTERS,
  pointerPosition,
  toChargesInput,
  type ChargeDraft,
  type ChargesFormValues,
  type ChargesInput,
  type FormErrors,
} from "./charges-form-model";
import { PLACES_OF_SERVICE } from "./claim-format";

export type RenderingProviderOption = { id: string; label: string };

type Saved = Promise<ActionResult<{ id: string }>>;

/** What the form saves, and the action that saves it: a new visit for a patient, an existing visit, or a claim not yet sent. */
export type ChargesTarget =
  | { kind: "new-visit"; patientId: string; save: (input: TVisitInput & { patientId: string }) => Saved }
  | { kind: "visit"; visitId: string; save: (input: TVisitInput & { visitId: string }) => Saved }
  | { kind: "claim"; claimId: string; save: (input: TUpdateDraftClaimInput & { claimId: string }) => Saved };

/** Saves through the target's action: a visit names its lines `charges`, a claim `lines` (and has no date or note of its own). */
function saveInput(target: ChargesTarget, input: ChargesInput): Saved {
  const { lines, serviceDate, payerClaimNumber, note, placeOfService, renderingProviderId, diagnoses } = input;
  if (target.kind === "claim")
    return target.save({
      claimId: target.claimId,
      diagnoses,
      lines,
      placeOfService,
      renderingProviderId: renderingProviderId ?? null,
      payerClaimNumber: payerClaimNumber ?? null,
    });
  const visit: TVisitInput = {
    serviceDate,
    placeOfService,
    diagnoses,
    charges: lines,
    ...(renderingProviderId ? { renderingProviderId } : {}),
    ...(note ? { note } : {}),
  };
  return target.kind === "new-visit" ? target.save({ patientId: target.patientId, ...visit }) : target.save({ visitId: target.visitId, ...visit });
}

let nextKey = 0;
/** A row key for a new diagnosis or line (unique in this page's life, never reused). */
export function newRowKey(prefix: string): string {
  nextKey += 1;
  return `new-${prefix}-${nextKey}`;
}

export function emptyCharge(key: string): ChargeDraft {
  return { key, procedureCode: "", modifiers: "", description: "", units: "1", charge: "", pointers: [] };
}

/**
 * A visit's (or a draft claim's) diagnoses and service lines: ICD-10-CM codes checked as they are
 * typed, each line's diagnosis pointers chosen as chips (up to 4, in order), lines added and
 * removed, the total kept up to date. The server checks everything again and its messages land
 * on the same fields.
 */
export function ChargesForm(props: {
  target: ChargesTarget;
  initialValues: ChargesFormValues;
  currency: string;
  today: string;
  renderingProviders: RenderingProviderOption[];
  cancelHref: string;
  /** Where to go after saving: this prefix and the saved record's id. */
  savedHrefPrefix: string;
  submitLabel: string;
  savedMessage: string;
}) {
  const router = useRouter();
  const [values, setValues] = useState(props.initialValues);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitErrors, setSubmitErrors] = useState<FormErrors>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [pending, startTransition] = useTransition();
  const pendingFocus = useRef<string | null>(null);
  const isClaim = props.target.kind === "claim";
  const live = liveErrors(values, props.currency, touched);
  const errorFor = (key: string) => submitErrors[key] ?? live[key];
  const total = liveTotal(values, props.currency);

  useEffect(() => {
    if (!pendingFocus.current) return;
    document.getElementById(pendingFocus.current)?.focus();
    pendingFocus.current = null;
  });

  function change(next: Partial<ChargesFormValues>, clear: string[] = []) {
    setValues((current) => ({ ...current, ...next }));
    if (clear.length > 0)
      setSubmitErrors((current) =>
        Object.fromEntries(Object.entries(current).filter(([key]) => !clear.some((prefix) => key === prefix || key.startsWith(`${prefix}.`)))),
      );
  }
  const touch = (key: string) => setTouched((current) => (current.has(key) ? current : new Set([...current, key])));

  function updateLine(index: number, patch: Partial<ChargeDraft>, field: string) {
    change({ lines: values.lines.map((line, position) => (position === index ? { ...line, ...patch } : line)) }, [`lines.${index}.${field}`, "lines"]);
  }

  function togglePointer(index: number, diagnosisKey: string) {
    const line = values.lines[index];
    if (!line) return;
    const pointers = line.pointers.includes(diagnosisKey)
      ? line.pointers.filter((key) => key !== diagnosisKey)
      : line.pointers.length < MAX_POINTERS
        ? [...line.pointers, diagnosisKey]
        : line.pointers;
    updateLine(index, { pointers }, "diagnosisPointers");
  }

  function addDiagnosis() {
    const key = newRowKey("diagnosis");
    pendingFocus.current = `diagnosis-${key}`;
    change({ diagnoses: [...values.diagnoses, { key, code: "" }] }, ["diagnoses"]);
  }

  function removeDiagnosis(index: number) {
    // Errors are by position: those after the removed row would land on the wrong one.
    change({ diagnoses: values.diagnoses.filter((_, position) => position !== index) }, ["diagnoses"]);
    pendingFocus.current = "add-diagnosis";
  }

  function addLine() {
    const key = newRowKey("line");
    // A new line points to the first diagnosis, the usual case; staff change it with the chips.
    const first = values.diagnoses[0]?.key;
    pendingFocus.current = `line-${key}-code`;
    change(
      { lines: [...values.lines, { ...emptyCharge(key), pointers: first ? [first] : [], serviceDate: isClaim ? values.lines[0]?.serviceDate : undefined }] },
      ["lines"],
    );
  }

  function removeLine(index: number) {
    change({ lines: values.lines.filter((_, position) => position !== index) }, ["lines"]);
    pendingFocus.current = "add-line";
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(new Set([...values.diagnoses.map((diagnosis) => diagnosis.key), ...values.lines.map((line) => line.key)]));
    const parsed = toChargesInput(values, props.currency, { today: props.today, withServiceDate: !isClaim });
    setFormErrors([]);
    if (!parsed.ok) {
      setSubmitErrors(parsed.errors);
      focusFirstError(parsed.errors);
      return;
    }
    setSubmitErrors({});
    startTransition(async () => {
      const result = await saveInput(props.target, parsed.input);
      if (result.ok) {
        toast.success(props.savedMessage);
        router.push(`${props.savedHrefPrefix}${result.data.id}`);
        return;
      }
      const { errors, other } = fromServerErrors(result.error.fields ?? {});
      setSubmitErrors(errors);
      setFormErrors(other.length > 0 || Object.keys(errors).length === 0 ? [...other, ...(other.length === 0 ? [result.error.message] : [])] : []);
      focusFirstError(errors);
    });
  }

  function focusFirstError(errors: FormErrors) {
    const first = Object.keys(errors)[0];
    if (!first) return;
    const [head, index, field] = first.split(".");
    const line = head === "lines" && index !== undefined ? values.lines[Number(index)] : undefined;
    const diagnosis = head === "diagnoses" && index !== undefined ? values.diagnoses[Number(index)] : undefined;
    const id = line
      ? `line-${line.key}-${field === "diagnosisPointers" ? "pointers" : field === "chargeAmount" ? "charge" : (field ?? "code") === "procedureCode" ? "code" : field}`
      : diagnosis
        ? `diagnosis-${diagnosis.key}`
        : head === "serviceDate"
          ? "visit-date"
          : head === "placeOfService"
            ? "visit-place"
            : head === "diagnoses"
              ? "add-diagnosis"
              : null;
    if (id) document.getElementById(id)?.focus();
  }

  const placeKnown = PLACES_OF_SERVICE.some((place) => place.code === values.placeOfService);
  const providerHint =
    props.renderingProviders.length === 0
      ? "Add rendering providers in Settings → Practice."
      : "Who rendered the services; a line rendered by someone else names them on the line.";

  return (
    <form className="grid gap-6" onSubmit={submit} noValidate>
      <Card>
        <CardHeader>
          <CardTitle>{isClaim ? "Claim" : "Visit"}</CardTitle>
          <CardDescription>
            {isClaim ? "What the claim tells the payer about where and by whom the services were given." : "When and where the patient was seen, and by whom."}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          {!isClaim && (
            <FormField label="Date of service" htmlFor="visit-date" error={errorFor("serviceDate")} required>
              <Input
                {...fieldControlProps("visit-date", { error: errorFor("serviceDate"), required: true })}
                type="date"
                max={props.today}
                value={values.serviceDate}
                onChange={(event) => change({ serviceDate: event.target.value }, ["serviceDate"])}
              />
            </FormField>
          )}
          <FormField label="Place of service" htmlFor="visit-place" error={errorFor("placeOfService")} required>
            <Select
              {...fieldControlProps("visit-place", { error: errorFor("placeOfService"), required: true })}
              value={values.placeOfService}
              onChange={(event) => change({ placeOfService: event.target.value }, ["placeOfService"])}
            >
              {!placeKnown && <option value={values.placeOfService}>{values.placeOfService}</option>}
              {PLACES_OF_SERVICE.map((place) => (
                <option key={place.code} value={place.code}>
                  {place.label}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField label="Rendering provider" htmlFor="visit-provider" error={errorFor("renderingProviderId")} hint={providerHint}>
            <Select
              {...fieldControlProps("visit-provider", { error: errorFor("renderingProviderId"), hint: providerHint })}
              value={values.renderingProviderId}
              onChange={(event) => change({ renderingProviderId: event.target.value }, ["renderingProviderId"])}
            >
              <option value="">The billing provider (the practice)</option>
              {props.renderingProviders.map((provider) => (
                <option key={provider.id} value={provider.id}>
                  {provider.label}
                </option>
              ))}
            </Select>
          </FormField>
          {isClaim && (
            <FormField
              label="Payer's claim number"
              htmlFor="claim-payer-number"
              error={errorFor("payerClaimNumber")}
              hint="The number the payer gave the original claim; a corrected or void claim needs it."
            >
              <Input
                {...fieldControlProps("claim-payer-number", {
                  error: errorFor("payerClaimNumber"),
                  hint: "The number the payer gave the original claim; a corrected or void claim needs it.",
                })}
                value={values.payerClaimNumber}
                maxLength={50}
                onChange={(event) => change({ payerClaimNumber: event.target.value }, ["payerClaimNumber"])}
              />
            </FormField>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Diagnoses</CardTitle>
          <CardDescription>ICD-10-CM codes, most important first (up to {MAX_DIAGNOSES}). Each service line points to the ones it treats.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          {values.diagnoses.length === 0 && <p className="text-sm text-muted-foreground">No diagnoses yet.</p>}
          <ol className="grid gap-3" aria-label="Diagnoses">
            {values.diagnoses.map((diagnosis, index) => {
              const id = `diagnosis-${diagnosis.key}`;
              const error = errorFor(`diagnoses.${index}`);
              return (
                <li key={diagnosis.key} className="flex items-start gap-2" data-testid="diagnosis-row">
                  <span className="mt-2 w-6 shrink-0 text-right text-sm font-semibold text-muted-foreground tabular-nums" aria-hidden="true">
                    {index + 1}
                  </span>
                  <FormField label={`Diagnosis ${index + 1}`} htmlFor={id} error={error} className="min-w-0 flex-1 [&_label]:sr-only">
                    <Input
                      {...fieldControlProps(id, { error })}
                      value={diagnosis.code}
                      placeholder="E11.9"
                      autoComplete="off"
                      spellCheck={false}
                      className="font-mono uppercase"
                      onChange={(event) =>
                        change({ diagnoses: values.diagnoses.map((row, position) => (position === index ? { ...row, code: event.target.value } : row)) }, [
                          `diagnoses.${index}`,
                          "diagnoses",
                        ])
                      }
                      onBlur={() => touch(diagnosis.key)}
                    />
                  </FormField>
                  <Button type="button" variant="ghost" size="icon" aria-label={`Remove diagnosis ${index + 1}`} onClick={() => removeDiagnosis(index)}>
                    <Trash2 aria-hidden="true" />
                  </Button>
                </li>
              );
            })}
          </ol>
          {errorFor("diagnoses") && (
            <p role="alert" className="text-sm font-medium text-destructive">
              {errorFor("diagnoses")}
            </p>
          )}
          <Button
            id="add-diagnosis"
            type="button"
            variant="outline"
            size="sm"
            className="w-fit"
            onClick={addDiagnosis}
            disabled={values.diagnoses.length >= MAX_DIAGNOSES}
          >
            <Plus aria-hidden="true" /> Add diagnosis
          </Button>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Service lines</CardTitle>
          <CardDescription>CPT or HCPCS codes with up to 4 modifiers; the charge is the line&apos;s total.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {values.lines.length === 0 && <p className="text-sm text-muted-foreground">No service lines yet.</p>}
          <ol className="grid gap-4" aria-label="Service lines">
            {values.lines.map((line, index) => {
              const id = (field: string) => `line-${line.key}-${field}`;
              const err = (field: Parameters<typeof lineKey>[1]) => errorFor(lineKey(index, field));
              const pointerError = err("diagnosisPointers");
              return (
                <li key={line.key} className="grid gap-3 rounded-md border p-3 sm:p-4" data-testid="service-line">
                  <div className="flex items-center justify-between gap-2">
                    <h3 className="text-sm font-semibold">Line {index + 1}</h3>
                    <Button type="button" variant="ghost" size="sm" onClick={() => removeLine(index)} aria-label={`Remove line ${index + 1}`}>
                      <Trash2 aria-hidden="true" /> Remove
                    </Button>
                  </div>
                  <div className="grid gap-3 sm:grid-cols-[8rem_8rem_1fr]">
                    <FormField label="Code" htmlFor={id("code")} error={err("procedureCode")} required>
                      <Input
                        {...fieldControlProps(id("code"), { error: err("procedureCode"), required: true })}
                        value={line.procedureCode}
                        placeholder="99213"
                        autoComplete="off"
                        spellCheck={false}
                        className="font-mono uppercase"
                        onChange={(event) => updateLine(index, { procedureCode: event.target.value }, "procedureCode")}
                        onBlur={() => touch(line.key)}
                      />
                    </FormField>
                    <FormField label="Modifiers" htmlFor={id("modifiers")} error={err("modifiers")}>
                      <Input
                        {...fieldControlProps(id("modifiers"), { error: err("modifiers") })}
                        value={line.modifiers}
                        placeholder="25 59"
                        autoComplete="off"
                        spellCheck={false}
                        className="font-mono uppercase"
                        onChange={(event) => updateLine(index, { modifiers: event.target.value }, "modifiers")}
                        onBlur={() => touch(line.key)}
                      />
                    </FormField>
                    <FormField label="Description" htmlFor={id("description")} error={err("description")}>
                      <Input
                        {...fieldControlProps(id("description"), { error: err("description") })}
                        value={line.description}
                        maxLength={200}
                        onChange={(event) => updateLine(index, { description: event.target.value }, "description")}
                      />
                    </FormField>
                  </div>
                  <div className="grid grid-cols-2 gap-3 sm:grid-cols-[8rem_10rem_1fr]">
                    <FormField label="Units" htmlFor={id("units")} error={err("units")} required>
                      <Input
                        {...fieldControlProps(id("units"), { error: err("units"), required: true })}
                        value={line.units}
                        inputMode="decimal"
                        onChange={(event) => updateLine(index, { units: event.target.value }, "units")}
                        onBlur={() => touch(line.key)}
                      />
                    </FormField>
                    <FormField label={`Charge (${props.currency})`} htmlFor={id("charge")} error={err("chargeAmount")} required>
                      <Input
                        {...fieldControlProps(id("charge"), { error: err("chargeAmount"), required: true })}
                        value={line.charge}
                        inputMode="decimal"
                        placeholder="135.00"
                        className="tabular-nums"
                        onChange={(event) => updateLine(index, { charge: event.target.value }, "chargeAmount")}
                        onBlur={() => touch(line.key)}
                      />
                    </FormField>
                    {props.renderingProviders.length > 0 && (
                      <FormField
                        label="Rendered by"
                        htmlFor={id("renderingProviderId")}
                        error={err("renderingProviderId")}
                        className="col-span-2 sm:col-span-1"
                      >
                        <Select
                          {...fieldControlProps(id("renderingProviderId"), { error: err("renderingProviderId") })}
                          value={line.renderingProviderId ?? ""}
                          onChange={(event) => updateLine(index, { renderingProviderId: event.target.value }, "renderingProviderId")}
                        >
                          <option value="">{isClaim ? "The claim's rendering provider" : "The visit's rendering provider"}</option>
                          {line.renderingProviderId && !props.renderingProviders.some((provider) => provider.id === line.renderingProviderId) && (
                            <option value={line.renderingProviderId}>A provider no longer listed (archived)</option>
                          )}
                          {props.renderingProviders.map((provider) => (
                            <option key={provider.id} value={provider.id}>
                              {provider.label}
                            </option>
                          ))}
                        </Select>
                      </FormField>
                    )}
                  </div>
                  <fieldset className="grid gap-2" aria-describedby={pointerError ? `${id("pointers")}-error` : undefined}>
                    <legend className="mb-2 text-sm font-medium">Diagnosis pointers (up to {MAX_POINTERS}, in order)</legend>
                    <div id={id("pointers")} tabIndex={-1} className="flex flex-wrap gap-2 outline-none">
                      {values.diagnoses.length === 0 && <span className="text-sm text-muted-foreground">Add a diagnosis first.</span>}
                      {values.diagnoses.map((diagnosis, position) => {
                        const order = line.pointers.indexOf(diagnosis.key);
                        const selected = order >= 0;
                        return (
                          // The name is the chip's own text (sr-only words around what is seen): "Diagnosis 1 E11.9, pointer 1".
                          <button
                            key={diagnosis.key}
                            type="button"
                            aria-pressed={selected}
                            disabled={!selected && line.pointers.length >= MAX_POINTERS}
                            onClick={() => togglePointer(index, diagnosis.key)}
                            className={cn(
                              "inline-flex h-9 items-center gap-1.5 rounded-full border px-3 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50",
                              selected ? "border-primary bg-primary text-primary-foreground" : "border-input bg-card hover:bg-accent",
                            )}
                          >
                            {selected ? <Check aria-hidden="true" className="size-3.5" /> : null}
                            <span className="sr-only">Diagnosis </span>
                            <span className="tabular-nums">{position + 1}</span>
                            {diagnosis.code && <span className="font-mono text-xs uppercase"> {diagnosis.code.toUpperCase()}</span>}
                            {selected && <span className="sr-only">, pointer {order + 1}</span>}
                            {selected && line.pointers.length > 1 && (
                              <span aria-hidden="true" className="text-xs">
                                #{order + 1}
                              </span>
                            )}
                          </button>
                        );
                      })}
                      {line.pointers
                        .filter((key) => pointerPosition(values.diagnoses, key) === null)
                        .map((key) => (
                          <button
                            key={key}
                            type="button"
                            onClick={() => updateLine(index, { pointers: line.pointers.filter((pointer) => pointer !== key) }, "diagnosisPointers")}
                            className="inline-flex h-9 items-center gap-1.5 rounded-full border border-destructive/40 bg-destructive/10 px-3 text-sm font-medium text-destructive"
                          >
                            <Trash2 aria-hidden="true" className="size-3.5" /> Remove the pointer to a removed diagnosis
                          </button>
                        ))}
                    </div>
                    {pointerError && (
                      <p id={`${id("pointers")}-error`} role="alert" className="text-sm font-medium text-destructive">
                        {pointerError}
                      </p>
                    )}
                  </fieldset>
                </li>
              );
            })}
          </ol>
          {errorFor("lines") && (
            <p role="alert" className="text-sm font-medium text-destructive">
              {errorFor("lines")}
            </p>
          )}
          <div className="flex flex-wrap items-center justify-between gap-3">
            <Button id="add-line" type="button" variant="outline" size="sm" onClick={addLine} disabled={values.lines.length >= MAX_LINES}>
              <Plus aria-hidden="true" /> Add line
            </Button>
            <p className="text-sm">
              Total{" "}
              <span className="ml-2 text-lg font-semibold tabular-nums" data-testid="charges-total">
                {formatMoney(total, props.currency)}
              </span>
            </p>
          </div>
        </CardContent>
      </Card>

      {!isClaim && (
        <Card>
          <CardContent className="pt-4 sm:pt-6">
            <FormField label="Note" htmlFor="visit-note" error={errorFor("note")} hint="For the clinic only; not sent to the payer.">
              <Textarea
                {...fieldControlProps("visit-note", { error: errorFor("note"), hint: "For the clinic only; not sent to the payer." })}
                value={values.note}
                maxLength={1000}
                rows={2}
                onChange={(event) => change({ note: event.target.value }, ["note"])}
              />
            </FormField>
          </CardContent>
        </Card>
      )}

      {formErrors.length > 0 && (
        <Alert variant="destructive">
          <AlertDescription>
            <ul className="grid gap-1">
              {formErrors.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" loading={pending}>
          {props.submitLabel}
        </Button>
        <Link href={props.cancelHref} className={buttonVariants({ variant: "outline" })}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
