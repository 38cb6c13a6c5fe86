import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getAuthOptions } from "@/lib/auth/auth-options";

type NextAuthRouteContext = { params: Promise<{ nextauth: string[] }> };

/** next-auth's sign-in, sign-out, CSRF and session endpoints; options are built on first request. */
async function handler(request: NextRequest, context: NextAuthRouteContext) {
  return NextAuth(request, context, getAuthOptions());
}

export { handler as GET, handler as POST };
