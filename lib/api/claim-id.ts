import { recordIdFromPath } from "@/lib/http/record-id";

/** The claim id of a /claims/{id}/… path: a malformed one is the same 404 as an unknown one. */
export const claimIdFrom = (params: { id: string }) => recordIdFromPath(params.id, "That claim does not exist.");
