import NextAuth from "next-auth";
import { NextRequest, NextResponse } from "next/server";
import { getAuthOptions } from "@/lib/auth/auth-options";
import { AppError } from "@/lib/errors";
import { readBodyBytes } from "@/lib/http/request-body";

type NextAuthRouteContext = { params: Promise<{ nextauth: string[] }> };

/** next-auth's sign-in, sign-out, CSRF and session endpoints; options are built on first request. */
async function handler(request: NextRequest, context: NextAuthRouteContext) {
  return NextAuth(request, context, getAuthOptions());
}

/** next-auth reads the whole body itself: hand it a copy read with the 1 MB limit (413 above it). */
async function post(request: NextRequest, context: NextAuthRouteContext) {
  let body: Buffer;
  try {
    body = await readBodyBytes(request);
  } catch (error) {
    if (error instanceof AppError) return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: error.status });
    throw error;
  }
  return handler(new NextRequest(request.url, { method: request.method, headers: request.headers, body: new Uint8Array(body) }), context);
}

export { handler as GET, post as POST };
