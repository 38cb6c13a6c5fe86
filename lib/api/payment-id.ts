import { z } from "zod";
import { AppError } from "@/lib/errors";

/** A path id that is not even a uuid cannot exist: 404, like any other unknown id. */
export function paymentIdFrom(params: { id: string }): string {
  if (!z.string().uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "That payment does not exist.");
  return params.id;
}
