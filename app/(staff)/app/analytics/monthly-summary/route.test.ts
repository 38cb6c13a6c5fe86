import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { todayIn } from "@/lib/invoices/dates";
import { createTestOrganization, testAuthContext } from "@/tests/factories";
import { session } from "@/tests/staff-session";
import { setupTestDatabase } from "@/tests/test-database";

vi.mock("@/lib/auth/session", async () => (await import("@/tests/staff-session")).mockedAuthSession());
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { GET } = await import("./route");

const database = setupTestDatabase();
const get = (query: string) => GET(new NextRequest(`http://localhost/app/analytics/monthly-summary${query}`), { params: Promise.resolve({}) });

beforeEach(() => {
  session.current = null;
});

describe("/app/analytics/monthly-summary", () => {
  it("answers the month's PDF to a signed-in staff member, and 422 naming month for a bad or future month", async () => {
    expect((await get("?month=2026-01")).status).toBe(401);
    const org = await createTestOrganization(database.db);
    session.current = testAuthContext(org);

    const thisMonth = todayIn(session.current.organization.timezone).slice(0, 7);
    const response = await get(`?month=${thisMonth}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(`inline; filename="monthly-summary-${thisMonth}.pdf"`);
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");

    for (const [query, message] of [
      ["", "Choose a month like 2026-11"],
      ["?month=2026-13", "Use a month like 2026-11"],
      ["?month=11-2026", "Use a month like 2026-11"],
      ["?month=2999-01", "That month has not started yet"],
    ] as const) {
      const bad = await get(query);
      expect(bad.status, query).toBe(422);
      expect(((await bad.json()) as { error: { fields: unknown } }).error.fields, query).toEqual({ month: [message] });
    }
  });
});
