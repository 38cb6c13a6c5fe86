import { recordIdFromPath } from "@/lib/http/record-id";

/** A path id that is not even a uuid cannot exist: 404, like any other unknown id. */
export function paymentIdFrom(params: { id: string }): string {
  return recordIdFromPath(params.id, "That payment does not exist.");
}
