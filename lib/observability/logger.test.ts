import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: createLogger({ level: "info", destination }), lines };
}

describe("logger", () => {
  it("writes JSON lines that redact secrets and patient data", () => {
    const { logger, lines } = capture();
    logger.child({ requestId: "req-1" }).info(
      {
        password: "hunter2",
        token: "tok_secret",
        headers: { authorization: "Bearer abc", cookie: "session=xyz" },
        patient: { name: "Jane Doe", dateOfBirth: "1980-01-01" },
        user: { email: "jane@example.com", phone: "+1 555 0100" },
        invoiceId: "inv_1",
      },
      "did something",
    );
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: "info", msg: "did something", requestId: "req-1", invoiceId: "inv_1" });
    const text = lines[0]!;
    for (const secret of ["hunter2", "tok_secret", "Bearer abc", "session=xyz", "Jane Doe", "1980-01-01", "jane@example.com", "555 0100"]) {
      expect(text).not.toContain(secret);
    }
  });
});
