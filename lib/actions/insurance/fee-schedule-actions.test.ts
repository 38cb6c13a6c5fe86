import { beforeEach, describe, expect, it, vi } from "vitest";
import { listPayerFeeSchedule } from "@/lib/insurance/fee-schedule";
import { createTestOrganization } from "@/tests/factories";
import { createTestPayer } from "@/tests/insurance-factories";
import { actionSessions } from "@/tests/action-sessions";
import { setupTestDatabase } from "@/tests/test-database";

/**
 * The fee schedule's server actions and page through the real session check (the membership's role
 * in the database); only next-auth's cookie reading, Next's request scope and its interrupts are
 * stood in for. Billing staff and admins change a payer's fees; viewers read them.
 */
const claims = vi.hoisted(() => ({ current: null as { userId: string; sessionId: string } | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => claims.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "fee-schedule-actions-test" }) }));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/navigation", () => ({
  forbidden: () => {
    throw new Error("403 forbidden page");
  },
  notFound: () => {
    throw new Error("404 not found page");
  },
  redirect: (url: string) => {
    throw new Error(`redirect to ${url}`);
  },
}));
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { savePayerFeeAction, deletePayerFeeAction } = await import("./fee-schedule-actions");
const { default: FeeSchedulePage } = await import("@/app/(staff)/app/settings/payers/[id]/fee-schedule/page");
const { default: UnderpaidPage } = await import("@/app/(staff)/app/claims/underpaid/page");

const database = setupTestDatabase();
const { clinicWith } = actionSessions(database, claims);

const pageProps = (payerId: string) => ({ params: Promise.resolve({ id: payerId }) });

beforeEach(() => {
  claims.current = null;
});

describe("fee schedule actions", () => {
  for (const role of ["billing", "admin"] as const) {
    it(`${role}: saves a fee (field messages for bad input), replaces it, removes it; the page offers the form`, async () => {
      const org = await clinicWith(role);
      const payer = await createTestPayer(database.db, { organizationId: org.organizationId });
      const refused = await savePayerFeeAction({ payerId: payer.id, procedureCode: "992", modifier: "", allowedAmount: "abc" });
      expect(refused).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
      expect(Object.keys((!refused.ok && refused.error.fields) || {}).sort()).toEqual(["allowedAmount", "procedureCode"]);

      const saved = await savePayerFeeAction({ payerId: payer.id, procedureCode: "99213", modifier: "25", allowedAmount: "92.50" });
      expect(saved).toMatchObject({ ok: true, data: { created: true } });
      expect(await savePayerFeeAction({ payerId: payer.id, procedureCode: "99213", modifier: "25", allowedAmount: "95" })).toMatchObject({
        ok: true,
        data: { created: false },
      });
      const fees = await listPayerFeeSchedule(database.db, { organizationId: org.organizationId, payerId: payer.id });
      expect(fees.map((fee) => [fee.procedureCode, fee.modifier, fee.allowedAmount])).toEqual([["99213", "25", 9_500]]);

      const page = await FeeSchedulePage(pageProps(payer.id));
      expect(page.props.fees).toHaveLength(1);
      expect(page.props.actions).toBeDefined();

      expect(await deletePayerFeeAction({ payerId: payer.id, id: fees[0]!.id })).toEqual({ ok: true, data: { id: fees[0]!.id } });
      expect(await listPayerFeeSchedule(database.db, { organizationId: org.organizationId, payerId: payer.id })).toEqual([]);
    });
  }

  it("a viewer reads the fee schedule and the underpaid queue but cannot change a fee", async () => {
    const org = await clinicWith("viewer");
    const payer = await createTestPayer(database.db, { organizationId: org.organizationId });
    expect(await savePayerFeeAction({ payerId: payer.id, procedureCode: "99213", allowedAmount: "85.00" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await database.db.payerFeeSchedule.count({ where: { organizationId: org.organizationId } })).toBe(0);
    const page = await FeeSchedulePage(pageProps(payer.id));
    expect(page.props.actions).toBeUndefined();
    await expect(UnderpaidPage({ searchParams: Promise.resolve({ cursor: "not-an-id" }) })).resolves.toBeTruthy();
  });

  it("another clinic's payer is NOT_FOUND to the actions and a 404 page", async () => {
    const other = await createTestOrganization(database.db);
    const theirs = await createTestPayer(database.db, { organizationId: other.organizationId });
    await clinicWith("billing");
    expect(await savePayerFeeAction({ payerId: theirs.id, procedureCode: "99213", allowedAmount: "85.00" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    await expect(FeeSchedulePage(pageProps(theirs.id))).rejects.toThrow("404 not found page");
    await expect(FeeSchedulePage(pageProps("not-a-payer"))).rejects.toThrow("404 not found page");
    expect(await database.db.payerFeeSchedule.count({ where: { payerId: theirs.id } })).toBe(0);
  });
});
