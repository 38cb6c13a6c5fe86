const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "57P01", "57P03", "53300"]);

function* causes(error: unknown): Generator<unknown> {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

/** True when the error means "the database cannot be reached", as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const candidate of causes(error)) {
    if (typeof candidate !== "object" || candidate === null) continue;
    const { code, message, name } = candidate as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (name === "DriverAdapterError" || name === "PrismaClientInitializationError") {
      if (typeof message === "string" && /connect|terminat|timeout|ECONNREFUSED/i.test(message)) return true;
    }
    if (typeof message === "string" && /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(message)) {
      return true;
    }
  }
  return false;
}
