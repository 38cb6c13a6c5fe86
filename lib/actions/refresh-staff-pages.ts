import { revalidatePath } from "next/cache";

/**
 * After a change shown across the staff area (an invoice's balance or status moves patient pages,
 * lists and the dashboard; the clinic's settings show in every page's header): every page under
 * /app renders afresh.
 */
export function refreshStaffPages() {
  revalidatePath("/app", "layout");
}
