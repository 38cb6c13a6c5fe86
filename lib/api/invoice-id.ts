import { recordIdFromPath } from "@/lib/http/record-id";

/** A path id that is not even a uuid cannot exist: 404, like any other unknown id. */
export function invoiceIdFrom(params: { id: string }): string {
  return recordIdFromPath(params.id, "That invoice does not exist.");
}
