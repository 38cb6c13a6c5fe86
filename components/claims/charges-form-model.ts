import { checkIcd10Cm, checkModifiers, checkPlaceOfService, checkProcedureCode, formatIcd10Cm } from "@/lib/insurance/identifiers";
import { parseMoneyInput, toDecimalString } from "@/lib/money/currency";

/*
 * The charges form's state and its checks, apart from React so they are easy to test. A line's
 * diagnosis pointers name diagnoses by their row key, not their position: removing a diagnosis
 * never silently moves a pointer onto another one; the pointer is shown as pointing to nothing
 * until staff choose again.
 */

export const MAX_DIAGNOSES = 12;
export const MAX_LINES = 50;
export const MAX_POINTERS = 4;

export type DiagnosisDraft = { key: string; code: string };
export type ChargeDraft = {
  key: string;
  procedureCode: string;
  modifiers: string;
  description: string;
  units: string;
  charge: string;
  /** Diagnosis row keys in pointer order (first is the primary pointer). */
  pointers: string[];
  /** A claim line keeps its own date of service; a visit's lines take the visit's. */
  serviceDate?: string;
  /** Who rendered the line when it is not the visit's or claim's rendering provider; "" or absent: theirs. */
  renderingProviderId?: string;
};
export type ChargesFormValues = {
  serviceDate: string;
  placeOfService: string;
  renderingProviderId: string;
  diagnoses: DiagnosisDraft[];
  lines: ChargeDraft[];
  note: string;
  payerClaimNumber: string;
};

export type ChargeInput = {
  procedureCode: string;
  modifiers: string[];
  description?: string;
  units: number;
  chargeAmount: number;
  diagnosisPointers: number[];
  serviceDate?: string;
  renderingProviderId?: string;
};
export type ChargesInput = {
  serviceDate: string;
  placeOfService: string;
  renderingProviderId?: string;
  diagnoses: string[];
  lines: ChargeInput[];
  note?: string;
  payerClaimNumber?: string;
};

export type FormErrors = Record<string, string>;

/** The error keys the form shows, by position: `diagnoses.1`, `lines.0.procedureCode`, `lines.0.diagnosisPointers`. */
export const lineKey = (index: number, field: keyof ChargeInput) => `lines.${index}.${field}`;

/** A pointer's position (1-based) among the diagnoses, or null when its diagnosis was removed. */
export function pointerPosition(diagnoses: readonly DiagnosisDraft[], key: string): number | null {
  const index = diagnoses.findIndex((diagnosis) => diagnosis.key === key);
  return index < 0 ? null : index + 1;
}

/** Units as typed: a positive number with at most 3 decimals (anesthesia minutes, half units). */
export function parseUnits(text: string): number | null {
  const value = text.trim();
  if (!/^\d{1,5}(\.\d{1,3})?$/.test(value)) return null;
  const units = Number(value);
  return units > 0 ? units : null;
}

function modifierList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** The problems visible while typing: bad codes, pointers to removed diagnoses, amounts that are not amounts. */
export function liveErrors(values: ChargesFormValues, currency: string, touched: ReadonlySet<string>): FormErrors {
  const errors: FormErrors = {};
  values.diagnoses.forEach((diagnosis, index) => {
    const key = `diagnoses.${index}`;
    if (diagnosis.code.trim() === "" || !touched.has(diagnosis.key)) return;
    const check = checkIcd10Cm(diagnosis.code);
    if (!check.ok) errors[key] = check.message;
  });
  values.lines.forEach((line, index) => {
    const dangling = line.pointers.filter((key) => pointerPosition(values.diagnoses, key) === null).length;
    if (dangling > 0) {
      errors[lineKey(index, "diagnosisPointers")] =
        dangling === 1
          ? "This line points to a diagnosis that was removed: choose another, or remove that pointer."
          : `This line points to ${dangling} diagnoses that were removed: choose others, or remove those pointers.`;
    }
    if (!touched.has(line.key)) return;
    if (line.procedureCode.trim() !== "") {
      const check = checkProcedureCode(line.procedureCode);
      if (!check.ok) errors[lineKey(index, "procedureCode")] = check.message;
    }
    const modifiers = checkModifiers(modifierList(line.modifiers));
    if (!modifiers.ok) errors[lineKey(index, "modifiers")] = modifiers.message;
    if (line.units.trim() !== "" && parseUnits(line.units) === null) errors[lineKey(index, "units")] = "Units are a number above 0, such as 1 or 1.5.";
    if (line.charge.trim() !== "" && parseMoneyInput(line.charge, currency) === null)
      errors[lineKey(index, "chargeAmount")] = "Enter the line's charge, such as 135.00.";
  });
  return errors;
}

/** The charge of each line as far as it parses, and their sum, for the running total. */
export function liveTotal(values: ChargesFormValues, currency: string): number {
  return values.lines.reduce((sum, line) => sum + (parseMoneyInput(line.charge, currency) ?? 0), 0);
}

/**
 * The input the server action takes, or every problem found on the way (with the messages the
 * server would give, so a problem reads the same either way).
 */
export function toChargesInput(
  values: ChargesFormValues,
  currency: string,
  options: { today: string; withServiceDate: boolean },
): { ok: true; input: ChargesInput } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  if (options.withServiceDate) {
    if (!values.serviceDate) errors.serviceDate = "Enter the date of the visit.";
    else if (values.serviceDate > options.today) errors.serviceDate = "The visit cannot be in the future.";
  }
  const place = checkPlaceOfService(values.placeOfService);
  if (!place.ok) errors.placeOfService = place.message;
  const diagnoses: string[] = [];
  if (values.diagnoses.length === 0) errors.diagnoses = "Add at least one diagnosis.";
  values.diagnoses.forEach((diagnosis, index) => {
    const check = checkIcd10Cm(diagnosis.code);
    if (!check.ok) errors[`diagnoses.${index}`] = check.message;
    else if (diagnoses.includes(formatIcd10Cm(check.value))) errors[`diagnoses.${index}`] = `${formatIcd10Cm(check.value)} is listed twice.`;
    diagnoses.push(check.ok ? formatIcd10Cm(check.value) : diagnosis.code);
  });
  if (values.lines.length === 0) errors.lines = "Add at least one service line.";
  if (values.lines.length > MAX_LINES) errors.lines = `A claim has at most ${MAX_LINES} service lines.`;
  const lines: ChargeInput[] = values.lines.map((line, index) => {
    const code = checkProcedureCode(line.procedureCode);
    if (!code.ok) errors[lineKey(index, "procedureCode")] = code.message;
    const modifiers = checkModifiers(modifierList(line.modifiers));
    if (!modifiers.ok) errors[lineKey(index, "modifiers")] = modifiers.message;
    const units = parseUnits(line.units);
    if (units === null) errors[lineKey(index, "units")] = "Units are a number above 0, such as 1 or 1.5.";
    const charge = parseMoneyInput(line.charge, currency);
    if (charge === null || charge <= 0) errors[lineKey(index, "chargeAmount")] = "Enter the line's charge, such as 135.00.";
    const positions = line.pointers.map((key) => pointerPosition(values.diagnoses, key));
    if (positions.length === 0) errors[lineKey(index, "diagnosisPointers")] = "Choose the diagnosis (or up to 4) this service treats.";
    else if (positions.some((position) => position === null))
      errors[lineKey(index, "diagnosisPointers")] = "This line points to a diagnosis that was removed: choose another, or remove that pointer.";
    const description = line.description.trim();
    return {
      procedureCode: code.ok ? code.value : line.procedureCode,
      modifiers: modifiers.ok ? modifiers.value : [],
      ...(description ? { description } : {}),
      units: units ?? 0,
      chargeAmount: charge ?? 0,
      diagnosisPointers: positions.filter((position): position is number => position !== null),
      ...(line.serviceDate ? { serviceDate: line.serviceDate } : {}),
      ...(line.renderingProviderId ? { renderingProviderId: line.renderingProviderId } : {}),
    };
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const note = values.note.trim();
  const payerClaimNumber = values.payerClaimNumber.trim();
  return {
    ok: true,
    input: {
      serviceDate: values.serviceDate,
      placeOfService: place.ok ? place.value : values.placeOfService,
      ...(values.renderingProviderId ? { renderingProviderId: values.renderingProviderId } : {}),
      diagnoses,
      lines,
      ...(note ? { note } : {}),
      ...(payerClaimNumber ? { payerClaimNumber } : {}),
    },
  };
}

/**
 * The server's field errors on the form's keys: the server names a visit's lines `charges.N…` and
 * a claim's `lines.N…`; anything deeper than the field (`lines.0.diagnosisPointers.2`) goes on the
 * field. Messages with no field on the form come back in `other`, so none is lost.
 */
export function fromServerErrors(fields: Record<string, string[]>): { errors: FormErrors; other: string[] } {
  const errors: FormErrors = {};
  const other: string[] = [];
  for (const [path, messages] of Object.entries(fields)) {
    const message = messages[0];
    if (!message) continue;
    const parts = path.split(".");
    if (parts[0] === "charges") parts[0] = "lines";
    let key: string | null = null;
    if (["serviceDate", "placeOfService", "renderingProviderId", "note", "payerClaimNumber"].includes(parts[0] ?? "")) key = parts[0]!;
    else if (parts[0] === "diagnoses") key = parts.length > 1 ? `diagnoses.${parts[1]}` : "diagnoses";
    else if (parts[0] === "lines") key = parts.length > 2 ? `lines.${parts[1]}.${parts[2]}` : parts.length > 1 ? `lines.${parts[1]}.procedureCode` : "lines";
    if (key && !(key in errors)) errors[key] = message;
    else if (!key) other.push(message);
  }
  return { errors, other };
}

type SavedLine = {
  procedureCode: string;
  modifiers: string[];
  description: string | null;
  units: number;
  chargeAmount: number;
  diagnosisPointers: number[];
  serviceDate: string;
  renderingProviderId?: string | null;
};

/** The form's rows for saved diagnoses and lines (initial keys d0…, l0…: new rows get others). */
function savedRows(diagnoses: readonly string[], lines: readonly SavedLine[], currency: string, keepDates: boolean) {
  const diagnosisRows = diagnoses.map((code, index) => ({ key: `d${index}`, code }));
  return {
    diagnoses: diagnosisRows,
    lines: lines.map((line, index) => ({
      key: `l${index}`,
      procedureCode: line.procedureCode,
      modifiers: line.modifiers.join(" "),
      description: line.description ?? "",
      units: String(line.units),
      charge: toDecimalString(line.chargeAmount, currency),
      // A saved pointer to no diagnosis stays visible as one (key "missing-…"), not dropped.
      pointers: line.diagnosisPointers.map((pointer) => diagnosisRows[pointer - 1]?.key ?? `missing-${index}-${pointer}`),
      ...(keepDates ? { serviceDate: line.serviceDate } : {}),
      ...(line.renderingProviderId ? { renderingProviderId: line.renderingProviderId } : {}),
    })),
  };
}

/** A blank visit: today, the practice's usual place, one empty diagnosis and one line pointing to it. */
export function emptyVisitValues(today: string, placeOfService: string): ChargesFormValues {
  return {
    serviceDate: today,
    placeOfService,
    renderingProviderId: "",
    diagnoses: [{ key: "d0", code: "" }],
    lines: [{ key: "l0", procedureCode: "", modifiers: "", description: "", units: "1", charge: "", pointers: ["d0"] }],
    note: "",
    payerClaimNumber: "",
  };
}

export function valuesFromVisit(
  visit: {
    serviceDate: string;
    placeOfService: string;
    renderingProvider: { id: string } | null;
    diagnoses: string[];
    note: string | null;
    charges: SavedLine[];
  },
  currency: string,
): ChargesFormValues {
  return {
    serviceDate: visit.serviceDate,
    placeOfService: visit.placeOfService,
    renderingProviderId: visit.renderingProvider?.id ?? "",
    ...savedRows(visit.diagnoses, visit.charges, currency, false),
    note: visit.note ?? "",
    payerClaimNumber: "",
  };
}

export function valuesFromClaim(
  claim: {
    serviceDate: string;
    placeOfService: string;
    renderingProvider: { id: string } | null;
    diagnoses: string[];
    payerClaimNumber: string | null;
    lines: SavedLine[];
  },
  currency: string,
): ChargesFormValues {
  return {
    serviceDate: claim.serviceDate,
    placeOfService: claim.placeOfService,
    renderingProviderId: claim.renderingProvider?.id ?? "",
    ...savedRows(claim.diagnoses, claim.lines, currency, true),
    note: "",
    payerClaimNumber: claim.payerClaimNumber ?? "",
  };
}
