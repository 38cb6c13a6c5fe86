import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { todayIn, toIsoDate } from "@/lib/invoices/dates";
import { formatClaimNumber } from "./claim-number";
import { buildClaim837PInput, loadBillingProvider } from "./validate-claim";

/** Box 1: the program the form is for. */
export type Cms1500Program = "medicare" | "medicaid" | "tricare" | "champva" | "group" | "feca" | "other";

export type Cms1500Person = {
  /** LAST, FIRST MIDDLE as boxes 2, 4 and 9 want it. */
  name: string;
  birthDate: string | null;
  sex: "F" | "M" | "U" | null;
  street: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  phone: string | null;
};

export type Cms1500Line = {
  from: string;
  to: string;
  placeOfService: string;
  procedureCode: string;
  modifiers: string[];
  /** Box 24E: the diagnosis letters (A–L), primary first. */
  pointers: string;
  /** Minor units. */
  charge: number;
  units: number;
  renderingNpi: string | null;
};

/** Everything the CMS-1500 (02/12) prints for one claim, already in the form's terms. */
export type Cms1500Data = {
  claimId: string;
  claimNumber: string;
  /** Clinic's today, YYYY-MM-DD: the date by the signatures. */
  preparedOn: string;
  payer: { name: string; addressLines: string[] };
  program: Cms1500Program;
  /** Box 1a. */
  insuredId: string;
  patient: Cms1500Person;
  insured: Cms1500Person & { groupNumber: string | null; planName: string };
  relationship: "self" | "spouse" | "child" | "other";
  /** Box 9/9a/9d and 11d: another coverage in force on the service date. */
  otherCoverage: { insuredName: string; policyNumber: string | null; planName: string } | null;
  patientSignatureOnFile: boolean;
  insuredSignatureOnFile: boolean;
  /** ICD-10-CM without the dot, as box 21 wants them; A–L. */
  diagnoses: string[];
  /** Box 22: 7 (replacement) or 8 (void) with the payer's claim number. */
  resubmission: { code: string; originalReference: string | null } | null;
  lines: Cms1500Line[];
  /** Box 25 (EIN, 12-3456789). */
  federalTaxId: string | null;
  acceptAssignment: boolean;
  totalCharge: number;
  amountPaid: number;
  /** Box 31. */
  physician: { name: string; signatureOnFile: boolean };
  /** Box 32 and 33. */
  serviceFacility: { name: string; addressLines: string[]; npi: string | null };
  billingProvider: { name: string; addressLines: string[]; phone: string | null; npi: string | null; taxonomyCode: string | null };
};

const PROGRAMS: Record<string, Cms1500Program> = {
  MA: "medicare",
  MB: "medicare",
  MC: "medicaid",
  CH: "tricare",
  VA: "champva",
  WC: "other",
  OF: "other",
  AM: "other",
  LM: "other",
  DS: "other",
  TV: "other",
  ZZ: "other",
  "11": "other",
};

const RELATIONSHIPS: Record<string, Cms1500Data["relationship"]> = { "18": "self", "01": "spouse", "19": "child" };

function personName(person: { lastName?: string | null; firstName?: string | null; middleName?: string | null }): string {
  const last = (person.lastName ?? "").toUpperCase();
  const first = [person.firstName, person.middleName].filter(Boolean).join(" ").toUpperCase();
  return [last, first].filter(Boolean).join(", ");
}

function zipOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const digits = value.replace(/\D/g, "");
  return digits.length === 9 ? `${digits.slice(0, 5)}-${digits.slice(5)}` : value;
}

function addressLines(
  address: { line1?: string | null; line2?: string | null; city?: string | null; state?: string | null; postalCode?: string | null } | null | undefined,
): string[] {
  if (!address) return [];
  const cityLine = [address.city, [address.state, zipOf(address.postalCode)].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [address.line1, address.line2, cityLine].filter((line): line is string => Boolean(line));
}

function phoneOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const digits = value.replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "");
  return digits.length === 10 ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : value;
}

const LETTERS = "ABCDEFGHIJKL";

/**
 * The CMS-1500 of a claim of this organization (any status: a draft prints with blanks where data is
 * missing): the claim as the 837P carries it (buildClaim837PInput: codes, lines, CLM07–CLM09, subscriber)
 * plus what only the paper form shows (payer address, phones, other coverage, names). NOT_FOUND for
 * another clinic's claim.
 */
export async function loadCms1500Data(db: Db | Tx, options: { organizationId: string; claimId: string; now?: Date }): Promise<Cms1500Data> {
  const input = await buildClaim837PInput(db, options);
  // One after the other: `db` may be a transaction (one connection).
  const claim = await db.claim.findFirst({
    where: { id: options.claimId, organizationId: options.organizationId },
    include: {
      patient: true,
      coverage: { include: { payer: true } },
      renderingProvider: true,
      organization: { select: { timezone: true } },
      lines: { orderBy: { position: "asc" }, select: { serviceDate: true } },
    },
  });
  const billing = await loadBillingProvider(db, { organizationId: options.organizationId });
  const practice = await db.practiceProfile.findUnique({ where: { organizationId: options.organizationId }, select: { contactPhone: true } });
  if (!claim) throw new AppError("NOT_FOUND", "That claim does not exist.");
  const { patient, coverage } = claim;
  const payer = coverage.payer;
  const firstServiceDate = toIsoDate(claim.lines[0]?.serviceDate ?? null) ?? todayIn(claim.organization.timezone);

  const other = await db.coverage.findFirst({
    where: {
      organizationId: options.organizationId,
      patientId: patient.id,
      id: { not: coverage.id },
      archivedAt: null,
      effectiveFrom: { lte: new Date(`${firstServiceDate}T00:00:00Z`) },
      OR: [{ effectiveTo: null }, { effectiveTo: { gte: new Date(`${firstServiceDate}T00:00:00Z`) } }],
    },
    orderBy: { priority: "asc" },
    include: { payer: true },
  });

  const self = coverage.relationshipCode === "18";
  const patientPerson: Cms1500Person = {
    name: personName(patient),
    birthDate: toIsoDate(patient.dateOfBirth),
    sex: (patient.sex as Cms1500Person["sex"]) ?? null,
    street: [patient.addressLine1, patient.addressLine2].filter(Boolean).join(" ") || null,
    city: patient.city,
    state: patient.region,
    zip: zipOf(patient.postalCode),
    phone: phoneOf(patient.phone),
  };
  const subscriber = input.subscriber;
  const insured: Cms1500Data["insured"] = self
    ? { ...patientPerson, groupNumber: coverage.groupNumber, planName: payer.name }
    : {
        name: personName(subscriber),
        birthDate: subscriber.birthDate ?? null,
        sex: subscriber.sex ?? null,
        street: [subscriber.address?.line1, subscriber.address?.line2].filter(Boolean).join(" ") || null,
        city: subscriber.address?.city ?? null,
        state: subscriber.address?.state ?? null,
        zip: zipOf(subscriber.address?.postalCode),
        phone: null,
        groupNumber: coverage.groupNumber,
        planName: payer.name,
      };
  const otherCoverage = other
    ? {
        insuredName:
          other.relationshipCode === "18"
            ? personName(patient)
            : personName({ lastName: other.subscriberLastName, firstName: other.subscriberFirstName, middleName: other.subscriberMiddleName }),
        policyNumber: other.groupNumber ?? other.memberId,
        planName: other.payer.name,
      }
    : null;

  const rendering = claim.renderingProvider;
  const billingName = billing?.organizationName ?? "";
  const billingAddress = addressLines(billing?.address);
  return {
    claimId: claim.id,
    claimNumber: formatClaimNumber(claim.number),
    preparedOn: todayIn(claim.organization.timezone, options.now),
    payer: {
      name: payer.name,
      addressLines: addressLines({ line1: payer.addressLine1, line2: payer.addressLine2, city: payer.city, state: payer.state, postalCode: payer.postalCode }),
    },
    program: PROGRAMS[payer.claimFilingIndicator] ?? "group",
    insuredId: coverage.memberId,
    patient: patientPerson,
    insured,
    relationship: RELATIONSHIPS[coverage.relationshipCode] ?? "other",
    otherCoverage,
    patientSignatureOnFile: patient.releaseOfInformation === "Y",
    insuredSignatureOnFile: coverage.benefitsAssigned === "Y",
    diagnoses: input.diagnoses,
    resubmission: claim.frequencyCode === "1" ? null : { code: claim.frequencyCode, originalReference: claim.payerClaimNumber },
    lines: input.serviceLines.map((line) => ({
      from: line.serviceDate,
      to: line.serviceDateEnd ?? line.serviceDate,
      placeOfService: line.placeOfService ?? input.placeOfService,
      procedureCode: line.procedureCode,
      modifiers: line.modifiers ?? [],
      pointers: line.diagnosisPointers.map((pointer) => LETTERS.charAt(pointer - 1) || "?").join(""),
      charge: line.chargeCents,
      units: line.units,
      // Box 24J: the line's own rendering provider (2420A), else the claim's.
      renderingNpi: line.renderingProvider?.npi ?? rendering?.npi ?? null,
    })),
    federalTaxId: billing?.ein ? `${billing.ein.slice(0, 2)}-${billing.ein.slice(2)}` : null,
    acceptAssignment: coverage.acceptsAssignment === "A" || coverage.acceptsAssignment === "B",
    totalCharge: claim.totalCharge,
    amountPaid: 0,
    physician: {
      name: rendering ? `${rendering.firstName} ${rendering.lastName}`.toUpperCase() : billingName.toUpperCase(),
      signatureOnFile: billing?.providerSignatureOnFile ?? false,
    },
    serviceFacility: { name: billingName, addressLines: billingAddress, npi: billing?.npi ?? null },
    billingProvider: {
      name: billingName,
      addressLines: billingAddress,
      phone: phoneOf(practice?.contactPhone),
      npi: billing?.npi ?? null,
      taxonomyCode: billing?.taxonomyCode ?? null,
    },
  };
}
