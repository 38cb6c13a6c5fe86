import { describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { callRoute } from "@/tests/api-client";
import { startEmbeddedDatabase } from "@/platform/embedded-db/embedded";

describe("GET /api/health", () => {
  it("answers 200 with the database up, 503 quickly while it is down, and 200 again once it returns", async () => {
    const first = await startEmbeddedDatabase({});
    const port = Number(new URL(first.url).port);
    process.env.DATABASE_URL = first.url;

    const up = await callRoute(health, { path: "/api/health" });
    expect(up.status).toBe(200);
    expect(up.json).toMatchObject({ status: "ok", database: "up" });

    await first.stop();
    const started = Date.now();
    const down = await callRoute(health, { path: "/api/health" });
    expect(down.status).toBe(503);
    expect(down.json).toMatchObject({ status: "unavailable", database: "down" });
    expect(Date.now() - started).toBeLessThan(6_000);

    const second = await startEmbeddedDatabase({ port });
    try {
      let status = 0;
      for (let attempt = 0; attempt < 5 && status !== 200; attempt++) status = (await callRoute(health, { path: "/api/health" })).status;
      expect(status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
