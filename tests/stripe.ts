/**
 * Stripe in tests: an in-process emulator with a key of the test's own (so parallel files never
 * see each other's objects), and the check that no patient data ever reached Stripe, over every
 * request the emulator received.
 */
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { createStripeClient } from "@/lib/stripe/get-stripe";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "@/stripe-emulator/src/server";

export type TestStripe = {
  emulator: RunningEmulator;
  secretKey: string;
  publishableKey: string;
  /** Configured exactly as the app configures it for the emulator (lib/stripe's switch). */
  stripe: ReturnType<typeof createStripeClient>;
  close(): Promise<void>;
};

/** Starts an emulator on a free loopback port with a fresh `sk_test_` key. */
export async function startTestStripe(options: EmulatorOptions = {}): Promise<TestStripe> {
  const emulator = await startEmulator({ port: 0, ...options });
  const suffix = randomBytes(12).toString("hex");
  const secretKey = `sk_test_${suffix}`;
  const stripe = createStripeClient({ kind: "emulator", secretKey, host: "127.0.0.1", port: emulator.port });
  return { emulator, secretKey, publishableKey: `pk_test_${suffix}`, stripe, close: () => emulator.close() };
}

/** A POST to one of the emulator's test-only control routes (`/_emulator/disputes`, …) as this key's account. */
export async function postEmulatorControl<T>(stripe: Pick<TestStripe, "emulator" | "secretKey">, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${stripe.emulator.url}/_emulator${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${stripe.secretKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** One API request as the emulator logged it (`GET /_emulator/requests`). */
export type StripeRequestLog = {
  id: string;
  method: string;
  path: string;
  params: unknown;
  idempotency_key: string | null;
  status: number;
};

/** Every API request the emulator received: for one key, or for all keys when none is given. */
export async function listStripeRequests(emulatorUrl: string, options: { secretKey?: string } = {}): Promise<StripeRequestLog[]> {
  const response = await fetch(`${emulatorUrl}/_emulator/requests`, {
    headers: options.secretKey ? { Authorization: `Bearer ${options.secretKey}` } : {},
  });
  if (!response.ok) throw new Error(`GET /_emulator/requests answered ${response.status}`);
  return ((await response.json()) as { data: StripeRequestLog[] }).data;
}

/** The patient fields that are PHI and must never reach Stripe (a Patient row fits). */
export type PatientIdentity = {
  firstName: string;
  lastName: string;
  email?: string | null;
  phone?: string | null;
  dateOfBirth?: Date | string | null;
  externalId?: string | null;
};

export type PatientDataFinding = { requestId: string; request: string; location: string; kind: "name" | "email" | "phone" | "birth date" | "external id" };

type Needle = { kind: PatientDataFinding["kind"]; matches(text: string): boolean };

/** Words: runs of letters and digits, so a random id ("pi_WU49O7…") is one word, never "WU". */
const WORDS = /[\p{L}\p{N}]+/gu;

/**
 * Short names ("Li", "Ann", "Wu") also occur inside random ids, so a name part shorter than 6
 * letters matches only as a whole word; longer ones match anywhere (case-insensitive).
 */
function wordNeedle(kind: Needle["kind"], word: string): Needle | null {
  const lower = word.trim().toLowerCase();
  if (lower.length < 2) return null;
  if (lower.length >= 6) return { kind, matches: (text) => text.toLowerCase().includes(lower) };
  return { kind, matches: (text) => (text.match(WORDS) ?? []).some((run) => run.toLowerCase() === lower) };
}

function birthDateForms(value: Date | string): string[] {
  const iso = typeof value === "string" ? value.slice(0, 10) : value.toISOString().slice(0, 10);
  const [year, month, day] = iso.split("-");
  if (!year || !month || !day) return [iso];
  const m = String(Number(month));
  const d = String(Number(day));
  return [iso, `${year}${month}${day}`, `${month}/${day}/${year}`, `${m}/${d}/${year}`, `${day}/${month}/${year}`, `${d}.${m}.${year}`];
}

function needlesFor(patient: PatientIdentity): Needle[] {
  const needles: (Needle | null)[] = [];
  const fullName = `${patient.firstName} ${patient.lastName}`.toLowerCase();
  needles.push({ kind: "name", matches: (text) => text.toLowerCase().replace(/\s+/g, " ").includes(fullName) });
  for (const part of `${patient.firstName} ${patient.lastName}`.split(/[\s-]+/)) needles.push(wordNeedle("name", part));
  if (patient.email) {
    const email = patient.email.toLowerCase();
    needles.push({ kind: "email", matches: (text) => text.toLowerCase().includes(email) });
    const local = email.split("@")[0] ?? "";
    if (local.length >= 6) needles.push({ kind: "email", matches: (text) => text.toLowerCase().includes(local) });
  }
  if (patient.phone) {
    const digits = patient.phone.replace(/\D/g, "");
    // The national number, so "+1 (555) 010-7788", "555.010.7788" and "5550107788" all match.
    const national = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
    if (national.length >= 7) needles.push({ kind: "phone", matches: (text) => text.replace(/\D/g, "").includes(national) });
  }
  if (patient.dateOfBirth) {
    const forms = birthDateForms(patient.dateOfBirth);
    needles.push({ kind: "birth date", matches: (text) => forms.some((form) => text.includes(form)) });
  }
  if (patient.externalId) needles.push(tokenNeedle("external id", patient.externalId));
  return needles.filter((needle): needle is Needle => needle !== null);
}

/**
 * An identifier ("MRN-004219", "A77812") matches only where it stands on its own, not as a run of
 * letters and digits inside a longer one: a random hex id holds any given 6 hex characters about
 * once in 600,000 ids, which a test sending thousands of them will meet.
 */
function tokenNeedle(kind: Needle["kind"], token: string): Needle | null {
  const trimmed = token.trim();
  if (trimmed.length < 2) return null;
  const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "iu");
  return { kind, matches: (text) => pattern.test(text) };
}

/** Every string in a request (path, idempotency key, parameter names and values) with where it was. */
function stringsOf(request: StripeRequestLog): { location: string; text: string }[] {
  const found: { location: string; text: string }[] = [
    { location: "path", text: request.path },
    ...(request.idempotency_key ? [{ location: "idempotency key", text: request.idempotency_key }] : []),
  ];
  const walk = (value: unknown, location: string) => {
    if (typeof value === "string") found.push({ location, text: value });
    else if (typeof value === "number" || typeof value === "boolean") found.push({ location, text: String(value) });
    else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${location}[${index}]`));
    else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        found.push({ location: `${location} (parameter name)`, text: key });
        walk(inner, `${location}[${key}]`);
      }
    }
  };
  walk(request.params, "params");
  return found;
}

/** Where, if anywhere, any of these patients' data appears in these requests. */
export function findPatientDataInStripeRequests(requests: StripeRequestLog[], patients: PatientIdentity[]): PatientDataFinding[] {
  const needles = patients.flatMap(needlesFor);
  const findings: PatientDataFinding[] = [];
  for (const request of requests) {
    for (const { location, text } of stringsOf(request)) {
      for (const needle of needles) {
        if (needle.matches(text)) {
          findings.push({ requestId: request.id, request: `${request.method} ${request.path}`, location, kind: needle.kind });
        }
      }
    }
  }
  return findings;
}

/**
 * Fails the test if any request the emulator received (for `secretKey`, or for every key when
 * omitted, e.g. a whole suite sharing one emulator) contains a patient's name, email, phone,
 * birth date or external id. Also fails when there is no traffic at all, so a misconfigured
 * suite cannot pass vacuously.
 */
export async function assertNoPatientDataSentToStripe(emulatorUrl: string, patients: PatientIdentity[], options: { secretKey?: string } = {}): Promise<void> {
  const requests = await listStripeRequests(emulatorUrl, options);
  expect(requests.length, "the emulator received no requests to check").toBeGreaterThan(0);
  expect(patients.length, "no patients to look for").toBeGreaterThan(0);
  expect(findPatientDataInStripeRequests(requests, patients)).toEqual([]);
}
