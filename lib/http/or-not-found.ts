import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { isRecordId } from "./record-id";

/**
 * Loads a record named in a page's URL, or renders the 404 page: for ids that are not record ids
 * (which would otherwise reach the database as a type error) and for the domain's NOT_FOUND, which
 * is also what another organization's ids produce.
 */
export async function orNotFound<T>(id: string, load: (id: string) => Promise<T>): Promise<T> {
  if (!isRecordId(id)) notFound();
  try {
    return await load(id);
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
