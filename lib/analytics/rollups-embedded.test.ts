import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { createTestOpenInvoice, createTestOrganization, createTestPatient } from "@/tests/factories";
import { startEmbeddedDatabase } from "@/platform/embedded-db/embedded";
import { getAnalyticsReport } from "./get-analytics-report";
import { refreshClaimRollups } from "./refresh-claim-rollups";
import { refreshLedgerRollups } from "./refresh-ledger-rollups";

describe("analytics rollups on the embedded database (PGlite)", () => {
  it("migrates, refreshes (transaction ids and snapshots work there) and reports rollups plus live journals", { timeout: 120_000 }, async () => {
    const embedded = await startEmbeddedDatabase({});
    const db = createDb({ connectionString: embedded.url, poolSize: 4 });
    try {
      await migrate({ connectionString: embedded.url });
      const org = await createTestOrganization(db);
      const patient = await createTestPatient(db, { organizationId: org.organizationId });
      await createTestOpenInvoice(db, { organizationId: org.organizationId, patientId: patient.id, total: 10_000, issuedOn: "2026-03-02" });
      const [first] = await refreshLedgerRollups(db, { organizationId: org.organizationId });
      expect(first!.horizon).toBeGreaterThan(first!.from);
      await createTestOpenInvoice(db, { organizationId: org.organizationId, patientId: patient.id, total: 2_500, issuedOn: "2026-03-03" });
      const query = { from: "2026-03-01", to: "2026-03-31" };
      const before = await getAnalyticsReport(db, { organizationId: org.organizationId, report: "summary", query });
      expect(before.charges.current).toBe(10_000 + 2_500);
      await refreshLedgerRollups(db, { organizationId: org.organizationId });
      const after = await getAnalyticsReport(db, { organizationId: org.organizationId, report: "summary", query });
      expect(after.charges.current).toBe(10_000 + 2_500);
      expect(after.receivables.amount).toBe(10_000 + 2_500);
      const services = await getAnalyticsReport(db, { organizationId: org.organizationId, report: "services", query });
      expect(services.byNetCharges).toEqual([{ serviceCode: null, description: "Visit", netCharges: 12_500, collections: 0, lines: 2 }]);
      // The insurance rollups' refresh and reads (SKIP LOCKED, the triggers' function) run there too.
      expect(await refreshClaimRollups(db, { organizationId: org.organizationId })).toEqual([{ organizationId: org.organizationId, rebuilt: true, claims: 0 }]);
      const insurance = await getAnalyticsReport(db, { organizationId: org.organizationId, report: "insurance", query });
      expect(insurance.denials.submitted.count).toEqual({ current: 0, previous: 0 });
    } finally {
      await db.$disconnect();
      await embedded.stop();
    }
  });
});
