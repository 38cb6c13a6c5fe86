/**
 * Measures the Stripe webhook handler's time per event, in process (no HTTP server): N open
 * invoices with confirmed card payments in the emulator, then each `payment_intent.succeeded`
 * event, correctly signed, through the route handler one at a time.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx bench/webhook-handler.ts [N]
 *   (WEBHOOK_PROFILE=/tmp/webhook.cpuprofile also writes a CPU profile of the event phase)
 *
 * Creates and drops its own database next to DATABASE_URL's (which must be local).
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import inspector from "node:inspector";
import { performance } from "node:perf_hooks";
import pg from "pg";
import Stripe from "stripe";
import { NextRequest } from "next/server";

const count = Number(process.argv[2] ?? 1000);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl || !/@(127\.0\.0\.1|localhost)[:/]/.test(adminUrl)) throw new Error("Set DATABASE_URL to a local PostgreSQL");
const name = `carebill_bench_${randomBytes(3).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;

const { startEmulator } = await import("@/stripe-emulator/src/server");
const emulator = await startEmulator({ port: 0 });
const secretKey = `sk_test_bench${randomBytes(6).toString("hex")}`;
const webhookSecret = "whsec_bench_secret";
Object.assign(process.env, {
  DATABASE_URL: url.toString(),
  AUTH_SECRET: "bench-secret-bench-secret-bench-secret!!",
  PAYMENT_LINK_SECRET: "bench-link-secret-bench-link-secret!!",
  STRIPE_SECRET_KEY: secretKey,
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  STRIPE_EMULATOR_URL: emulator.url,
  LOG_LEVEL: "warn",
});

const { migrate } = await import("@/lib/db/migrate");
const { getDb } = await import("@/lib/db/client");
const { createOrganization } = await import("@/lib/organizations/create-organization");
const { createPatient } = await import("@/lib/patients/create-patient");
const { createInvoice } = await import("@/lib/invoices/create-invoice");
const { finalizeInvoice } = await import("@/lib/invoices/finalize-invoice");
const { createPaymentAttempt } = await import("@/lib/payments/create-payment-attempt");
const { POST: webhook } = await import("@/app/api/webhooks/stripe/route");

try {
  await migrate({ connectionString: url.toString() });
  const db = await getDb();
  const actor = { userId: null, label: "bench", ip: null, requestId: null };
  const { organizationId } = await createOrganization(db, {
    slug: "bench",
    name: "Bench Clinic",
    admin: { email: "bench@example.test", name: "Bench", password: "bench-password-123" },
  });
  const patient = await createPatient(db, { organizationId, actor, input: { firstName: "Bench", lastName: "Patient" } });
  const stripe = new Stripe(secretKey, { host: "127.0.0.1", port: emulator.port, protocol: "http" });

  console.log(`preparing ${count} paid invoices…`);
  const events: Stripe.Event[] = [];
  for (let index = 0; index < count; index++) {
    const draft = await createInvoice(db, {
      organizationId,
      actor,
      input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: 10_000 + index }] },
    });
    await finalizeInvoice(db, { organizationId, invoiceId: draft.id, actor });
    const attempt = await createPaymentAttempt(db, { organizationId, invoiceId: draft.id });
    await stripe.paymentIntents.confirm(attempt.paymentIntent.id, { payment_method: "pm_card_visa" });
  }
  for await (const event of stripe.events.list({ type: "payment_intent.succeeded", limit: 100 })) events.push(event);

  // WEBHOOK_PROFILE=<file>: a CPU profile of the event phase only (open it in Chrome DevTools).
  const profileFile = process.env.WEBHOOK_PROFILE;
  const session = profileFile ? new inspector.Session() : null;
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) => session!.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  if (session) {
    session.connect();
    await post("Profiler.enable");
    await post("Profiler.start");
  }
  const timings: number[] = [];
  for (const event of events) {
    const payload = JSON.stringify(event);
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    const request = new NextRequest("http://localhost/api/webhooks/stripe", {
      method: "POST",
      body: payload,
      headers: { "stripe-signature": signature, "content-type": "application/json" },
    });
    const started = performance.now();
    const response = await webhook(request, { params: Promise.resolve({}) });
    timings.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`event ${event.id}: ${response.status} ${await response.text()}`);
  }
  if (session) {
    const { profile } = (await post("Profiler.stop")) as { profile: unknown };
    writeFileSync(profileFile!, JSON.stringify(profile));
    session.disconnect();
  }
  timings.sort((a, b) => a - b);
  const at = (q: number) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))]!.toFixed(2);
  const paid = await db.invoice.count({ where: { status: "paid" } });
  console.log(
    JSON.stringify({ events: timings.length, paidInvoices: paid, medianMs: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: timings.at(-1)!.toFixed(2) }),
  );
  await db.$disconnect();
} finally {
  await emulator.close();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
