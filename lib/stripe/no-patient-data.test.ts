import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertNoPatientDataSentToStripe,
  findPatientDataInStripeRequests,
  listStripeRequests,
  startTestStripe,
  type PatientIdentity,
  type TestStripe,
} from "@/tests/stripe";
import { cancelPaymentIntent } from "./cancel-payment-intent";
import { capturePaymentIntent } from "./capture-payment-intent";
import { createCustomer } from "./create-customer";
import { createPaymentIntent } from "./create-payment-intent";
import { createRefund } from "./create-refund";
import { createSetupIntent } from "./create-setup-intent";
import { idempotencyKey } from "./idempotency-key";
import { retrievePaymentIntent } from "./retrieve-payment-intent";

/** Patients as the clinic records them: every one of these fields is PHI. */
const maria = {
  id: randomUUID(),
  firstName: "Maria",
  lastName: "Gonzalez-Ortega",
  email: "maria.gonzalez@example.com",
  phone: "+1 (555) 010-7788",
  dateOfBirth: new Date("1984-03-07"),
  externalId: "MRN-004219",
};
const li = {
  id: randomUUID(),
  firstName: "Li",
  lastName: "Wei",
  email: "li.wei@example.org",
  phone: "555.201.4433",
  dateOfBirth: "1959-11-23",
  externalId: "A77812",
};
const seun = {
  id: randomUUID(),
  firstName: "Oluwaseun",
  lastName: "Adeyemi",
  email: "seun@example.net",
  phone: "5559983321",
  dateOfBirth: new Date("2011-01-30"),
};
const patients: (PatientIdentity & { id: string })[] = [maria, li, seun];
const organizationId = randomUUID();

let test: TestStripe;
beforeAll(async () => {
  test = await startTestStripe();
});
afterAll(() => test.close());

describe("patient data never reaches Stripe", () => {
  it("sends only ids through every lib/stripe helper", async () => {
    const { stripe } = test;
    for (const patient of patients) {
      const customer = await createCustomer({ organizationId, patientId: patient.id }, stripe);
      const invoiceId = randomUUID();

      const paymentId = randomUUID();
      const payment = await createPaymentIntent(
        {
          metadata: { organizationId, invoiceId, paymentId, patientId: patient.id },
          amount: 12_345,
          currency: "usd",
          customerId: customer.id,
          savePaymentMethod: true,
        },
        stripe,
      );
      await stripe.paymentIntents.confirm(payment.id, { payment_method: "pm_card_visa" });
      await retrievePaymentIntent(payment.id, stripe);
      const refundId = randomUUID();
      await createRefund({ metadata: { organizationId, invoiceId, paymentId, refundId }, paymentIntentId: payment.id, amount: 2_345 }, stripe);

      const authorizedId = randomUUID();
      const authorized = await createPaymentIntent(
        { metadata: { organizationId, invoiceId, paymentId: authorizedId }, amount: 5_000, currency: "usd", captureMethod: "manual" },
        stripe,
      );
      await stripe.paymentIntents.confirm(authorized.id, { payment_method: "pm_card_mastercard" });
      await capturePaymentIntent({ paymentId: authorizedId, paymentIntentId: authorized.id, amountToCapture: 4_000 }, stripe);

      const abandonedId = randomUUID();
      const abandoned = await createPaymentIntent({ metadata: { organizationId, invoiceId, paymentId: abandonedId }, amount: 700, currency: "usd" }, stripe);
      await cancelPaymentIntent({ paymentId: abandonedId, paymentIntentId: abandoned.id }, stripe);

      const planId = randomUUID();
      await createSetupIntent(
        {
          customerId: customer.id,
          metadata: { organizationId, patientId: patient.id, paymentPlanId: planId },
          idempotencyKey: idempotencyKey("payment-plan", planId, "create-setup-intent"),
        },
        stripe,
      );
    }
    const requests = await listStripeRequests(test.emulator.url, { secretKey: test.secretKey });
    expect(requests.length).toBeGreaterThanOrEqual(patients.length * 10);
    await assertNoPatientDataSentToStripe(test.emulator.url, patients, { secretKey: test.secretKey });
  });

  it("the check finds each kind of patient data wherever it hides (so it cannot pass vacuously)", async () => {
    const leaky = await startTestStripe();
    try {
      await leaky.stripe.customers.create({ name: "MARIA GONZALEZ-ORTEGA" });
      await leaky.stripe.customers.create({ metadata: { contact: "Maria.Gonzalez@Example.com" } });
      await leaky.stripe.customers.create({ metadata: { note: "call 555-010-7788" } });
      await leaky.stripe.customers.create({ metadata: { dob: "11/23/1959" } });
      await leaky.stripe.customers.create({ metadata: { patient: "Li" } });
      await leaky.stripe.customers.create({ metadata: { mrn: "MRN-004219" } });
      await leaky.stripe.customers.create({ metadata: { [seun.lastName]: "x" } });
      const requests = await listStripeRequests(leaky.emulator.url, { secretKey: leaky.secretKey });
      const kinds = (patient: PatientIdentity) => new Set(findPatientDataInStripeRequests(requests, [patient]).map((finding) => finding.kind));
      expect([...kinds(maria)].sort()).toEqual(["email", "external id", "name", "phone"]);
      expect([...kinds(li)].sort()).toEqual(["birth date", "name"]);
      expect([...kinds(seun)]).toEqual(["name"]);
      expect(findPatientDataInStripeRequests(requests, [maria])[0]).toMatchObject({ request: "POST /v1/customers", location: "params[name]" });
    } finally {
      await leaky.close();
    }
  });

  it("does not mistake random ids for short names", () => {
    const requests = Array.from({ length: 2000 }, (_, index) => ({
      id: `req_${index}`,
      method: "POST",
      path: `/v1/payment_intents/pi_${randomUUID().replace(/-/g, "")}LiWei/confirm`,
      params: { metadata: { payment_id: randomUUID() } },
      idempotency_key: `carebill:payment:${randomUUID()}:create-payment-intent`,
      status: 200,
    }));
    // One that once turned up at random: Li's chart number A77812 inside a hex id.
    requests.push({ ...requests[0]!, id: "req_hex", path: "/v1/payment_intents/pi_78d81198698d4a77812e50880c9941c4LiWei/confirm" });
    expect(findPatientDataInStripeRequests(requests, patients)).toEqual([]);
    const standingAlone = { ...requests[0]!, id: "req_alone", params: { metadata: { chart: "a77812" } } };
    expect(findPatientDataInStripeRequests([standingAlone], patients).map((finding) => finding.kind)).toEqual(["external id"]);
  });
});
