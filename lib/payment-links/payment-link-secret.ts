import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** The key that signs pay links; without it no link can be made or checked. */
export function getPaymentLinkSecret(): string {
  const secret = getEnv().PAYMENT_LINK_SECRET;
  if (!secret) throw new AppError("SERVICE_UNAVAILABLE", "Pay links are not configured: set PAYMENT_LINK_SECRET.");
  return secret;
}

export function payPageUrl(token: string): string {
  return `${getEnv().APP_URL.replace(/\/$/, "")}/pay/${token}`;
}
