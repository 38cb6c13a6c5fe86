import pino, { type Logger } from "pino";
import { readEnvVar } from "@/lib/env";

/**
 * Paths never written to logs. Patient data (PHI) fields are listed by name so that a
 * careless `logger.info({ patient })` still prints nothing identifying.
 */
export const REDACTED_PATHS = [
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "cookie",
  "*.cookie",
  "headers.authorization",
  "headers.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
  "apiKey",
  "*.apiKey",
  "email",
  "*.email",
  "phone",
  "*.phone",
  "name",
  "*.name",
  "firstName",
  "*.firstName",
  "lastName",
  "*.lastName",
  "dateOfBirth",
  "*.dateOfBirth",
  "address",
  "*.address",
  "patient",
  "*.patient",
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? readEnvVar("LOG_LEVEL"),
      base: { service: "carebill" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

const globalForLogger = globalThis as unknown as { carebillLogger?: Logger };

export const logger: Logger = (globalForLogger.carebillLogger ??= createLogger());

/** A child logger whose every line carries the request id. */
export function requestLogger(requestId: string): Logger {
  return logger.child({ requestId });
}
