import { describe, expect, it } from "vitest";
import { checkLedger } from "@/lib/ledger/balances";
import { setupTestDatabase } from "@/tests/test-database";
import { seedDemo } from "./seed-demo";

const database = setupTestDatabase();

describe("the demo clinic without the Stripe and clearinghouse emulators (STRIPE_EMULATOR=0, a real Stripe account, npm run db:seed)", () => {
  it("takes the card payments on the clinic's terminal instead, and the ledger still balances", async () => {
    const { organizationId, activity, recurring, insurance } = await seedDemo(database.db);
    expect(activity).toMatchObject({ patients: 40, cardPayments: 0 });
    // Membership plans, but no card can be saved: no members and no payment plan.
    expect(recurring).toEqual({ membershipPlans: 2, memberships: 0, paymentPlans: 0 });
    expect(await checkLedger(database.db)).toEqual({
      allocationMismatches: [],
      unbalancedCurrencies: [],
      invoiceMismatches: [],
      patientCreditMismatches: [],
      claimMismatches: [],
    });
    const statuses = await database.db.invoice.groupBy({ by: ["status"], where: { organizationId } });
    expect(statuses.map((row) => row.status).sort()).toEqual(["draft", "open", "paid", "partially_paid", "uncollectible", "void"]);
    const methods = await database.db.payment.groupBy({ by: ["methodType"], where: { organizationId } });
    expect(methods.map((row) => row.methodType).sort()).toEqual(["card_terminal", "cash", "check"]);
    expect(await database.db.refund.count()).toBe(0);
    expect(await database.db.dispute.count()).toBe(0);
    // No clearinghouse settings: nothing is submitted, the claims wait ready (one draft with its problem).
    expect(insurance).toEqual({ payers: 3, coverages: 5, visits: 5, claims: { draft: 1, ready: 3 } });
    expect(await database.db.clearinghouseSettings.count()).toBe(0);
  });
});
