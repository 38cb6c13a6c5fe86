import { NextResponse } from "next/server";
import { withAuth } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The signed-in user, their organization and role. */
export const GET = withAuth("/api/me", { role: "viewer" }, async (_request, { auth }) =>
  NextResponse.json({ user: auth.user, organization: auth.organization, role: auth.role }),
);
