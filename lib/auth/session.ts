import { cache } from "react";
import { headers } from "next/headers";
import { connection } from "next/server";
import { forbidden, redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { getAuthOptions } from "./auth-options";
import { hasRole, type Role } from "./roles";

const ZSessionClaims = z.object({ userId: z.string().uuid(), organizationId: z.string().uuid() });

export type AuthContext = {
  user: { id: string; email: string; name: string };
  organization: { id: string; slug: string; name: string; currency: string; timezone: string };
  role: Role;
  membershipId: string;
  actor: AuditActor;
};

/**
 * The signed-in user with their organization and role, read fresh from the database on every
 * request, so a role change or deactivation takes effect at once. Null when not signed in or
 * no longer active. Cached per request.
 */
export const getAuthContext = cache(async (): Promise<AuthContext | null> => {
  await connection(); // per-request: never prerendered at build time
  const session = await getServerSession(getAuthOptions());
  const claims = ZSessionClaims.safeParse(session);
  if (!claims.success) return null;
  const db = await getDb();
  const membership = await db.membership.findUnique({
    where: { organizationId_userId: { organizationId: claims.data.organizationId, userId: claims.data.userId } },
    include: {
      user: { select: { id: true, email: true, name: true } },
      organization: { select: { id: true, slug: true, name: true, currency: true, timezone: true } },
    },
  });
  if (!membership || membership.deactivatedAt) return null;
  const requestHeaders = await headers();
  return {
    user: membership.user,
    organization: membership.organization,
    role: membership.role,
    membershipId: membership.id,
    actor: {
      userId: membership.user.id,
      label: membership.user.email,
      ip: clientIpFromHeaders(requestHeaders),
      requestId: requestHeaders.get("x-request-id"),
    },
  };
});

/** For pages and layouts: redirects to sign-in when signed out, renders 403 when the role is too low. */
export async function requirePageAuth(role: Role = "viewer"): Promise<AuthContext> {
  const auth = await getAuthContext();
  if (!auth) {
    const path = (await headers()).get("x-pathname") ?? "/app";
    redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
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
