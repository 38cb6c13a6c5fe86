import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { textStream } from "@/lib/csv/csv";
import { sql, sqlOf } from "@/lib/db/sql";
import { createTestOpenInvoice, createTestOrganization, createTestPatient } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { exportReportCsv } from "./export-report-csv";

const database = setupTestDatabase();

v8.setFlagsFromString("--expose-gc");
/** The collector, so that a heap measurement counts what is still held, not garbage not yet collected. */
const collectGarbage = vm.runInNewContext("gc") as () => void;
const heapNow = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

const ROWS = 100_000;

describe("report CSV exports", () => {
  it(`streams ${ROWS.toLocaleString("en-US")} rows in constant memory: the heap never holds more than a few pages of the file`, async () => {
    const org = await createTestOrganization(database.db);
    await database.db.organization.update({ where: { id: org.organizationId }, data: { timezone: "America/New_York" } });
    const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
    const invoice = await createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId: patient.id, total: 60_000 });
    // 100,000 declined card attempts over the last 20 days, inserted set-based (rows of the payments report).
    await sqlOf(database.db).execute(sql`
      INSERT INTO payments (organization_id, invoice_id, patient_id, source, method_type, status, currency, amount, failure_code, failure_message, failed_at, created_at, updated_at)
      SELECT ${org.organizationId}::uuid, ${invoice.id}::uuid, ${patient.id}::uuid, 'pay_page', 'card', 'failed', 'USD', 1000 + n % 50000, 'card_declined', 'Your card was declined.',
             now() - (n * interval '17 seconds'), now() - (n * interval '17 seconds'), now()
      FROM generate_series(1, ${ROWS}::int) AS n`);

    const csv = await exportReportCsv(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      report: "payments",
      query: { preset: "last_30_days" },
    });
    const reader = textStream(csv.rows).getReader();
    const decoder = new TextDecoder();
    const baseline = heapNow();
    let lines = 0;
    let bytes = 0;
    let chunks = 0;
    let peak = 0;
    let first = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      if (chunks === 0) first = text.split("\r\n")[0]!;
      bytes += value.byteLength;
      for (let index = text.indexOf("\r\n"); index !== -1; index = text.indexOf("\r\n", index + 2)) lines++;
      if (++chunks % 10 === 0) peak = Math.max(peak, heapNow() - baseline);
    }
    peak = Math.max(peak, heapNow() - baseline);

    expect(first).toBe(
      "created,invoice,source,status,succeeded,first_attempt_success,decline_code,decline_reason,three_d_secure,card_brand,card_last4,currency,amount",
    );
    expect(lines).toBe(ROWS + 1);
    // The file is about 11 MB; what stays on the heap while it streams is a page or two of rows (about 0.1 MB each).
    expect(bytes).toBeGreaterThan(10_000_000);
    expect(peak).toBeLessThan(4_000_000);
    console.info(`report CSV: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB in ${chunks} chunks; peak retained heap growth ${(peak / 1e6).toFixed(2)} MB`);
  }, 180_000);
});
