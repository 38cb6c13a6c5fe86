import { z } from "zod";
import { AppError } from "@/lib/errors";

/*
 * Every Carebill record is named by a UUID. An id from a URL path, a query string or a form that
 * is not one names no record: it is answered like any other unknown id, before the database sees
 * it (PostgreSQL would refuse it as a type error, a 500).
 */

const ZRecordId = z.uuid();

/** True when `value` is shaped like a record id (a UUID); says nothing about whether the record exists. */
export function isRecordId(value: string): boolean {
  return ZRecordId.safeParse(value).success;
}

/**
 * The id named in a URL path, or NOT_FOUND with `notFoundMessage` ("That invoice does not exist.")
 * when it is malformed: the same 404 as an unknown id or another organization's.
 */
export function recordIdFromPath(id: string, notFoundMessage: string): string {
  if (!isRecordId(id)) throw new AppError("NOT_FOUND", notFoundMessage);
  return id;
}

/**
 * A record id field in a form, an action's input or a query string. `message` is what the person
 * sees when it is malformed ("Unknown invoice."); a missing or non-text value keeps zod's usual
 * "… is required" / "… must be text" (z.uuid(message) would put `message` on those too).
 */
export function zRecordId(message?: string) {
  return z.string().check(z.uuid(message));
}
