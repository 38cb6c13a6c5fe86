import { cache } from "react";
import { headers } from "next/headers";
import { connection } from "next/server";
import { forbidden, redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { getDb } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { getAuthOptions, ZSessionClaims } from "./auth-options";
import { loadSession, type LoadedSession } from "./load-session";
import { hasRole, type Role } from "./roles";

export type AuthContext = {
  user: { id: string; email: string; name: string };
  organization: { id: string; slug: string; name: string; currency: string; timezone: string; country: string };
  role: Role;
  membershipId: string;
  actor: AuditActor;
};

/**
 * The signed-in session, whether or not a clinic is chosen: null when there is no cookie, or its
 * session was revoked or has expired (checked in the database on every request). Cached per request.
 */
export const getSignedInSession = cache(async (): Promise<LoadedSession | null> => {
  await connection(); // per-request: never prerendered at build time
  const session = await getServerSession(getAuthOptions());
  const claims = ZSessionClaims.safeParse(session);
  if (!claims.success) return null;
  return loadSession(await getDb(), claims.data);
});

/** Who acts in audit entries for this request. */
export async function requestActor(user: { id: string; email: string }): Promise<AuditActor> {
  const requestHeaders = await headers();
  return { userId: user.id, label: user.email, ip: clientIpFromHeaders(requestHeaders), requestId: requestHeaders.get("x-request-id") };
}

/**
 * The signed-in user with their organization and role, read fresh from the database on every
 * request, so sign-out, a role change or deactivation takes effect at once. Null when not
 * signed in, no clinic is chosen, or the membership is no longer active. Cached per request.
 */
export const getAuthContext = cache(async (): Promise<AuthContext | null> => {
  const session = await getSignedInSession();
  if (!session?.membership) return null;
  return {
    user: session.user,
    organization: session.membership.organization,
    role: session.membership.role,
    membershipId: session.membership.id,
    actor: await requestActor(session.user),
  };
});

/**
 * For pages and layouts: redirects to sign-in when signed out, to the clinic chooser when signed
 * in without an active clinic, and renders 403 when the role is too low.
 */
export async function requirePageAuth(role: Role = "viewer"): Promise<AuthContext> {
  const auth = await getAuthContext();
  if (!auth) {
    const path = (await headers()).get("x-pathname") ?? "/app";
    const signedIn = await getSignedInSession();
    redirect(`${signedIn ? "/select-organization" : "/login"}?callbackUrl=${encodeURIComponent(path)}`);
  }
  if (!hasRole(auth.role, role)) forbidden();
  return auth;
}

/** For route handlers and server actions: throws 401/403 as an AppError. */
export async function requireAuth(role: Role = "viewer"): Promise<AuthContext> {
  const auth = await getAuthContext();
  if (!auth) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  if (!hasRole(auth.role, role)) throw new AppError("FORBIDDEN", "Your role does not allow this.");
  return auth;
}
