import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { revokeSession } from "./revoke-sessions";
import { SESSION_MAX_AGE_SECONDS, signInWithPassword } from "./sign-in";

export { SESSION_MAX_AGE_SECONDS };

/** What the signed cookie carries: who, and which row of user_sessions (checked on every request). */
export const ZSessionClaims = z.object({ userId: z.string().uuid(), sessionId: z.string().uuid() });

/** Built on first use, not at import, so `next build` never needs the secrets. */
export function getAuthOptions(): NextAuthOptions {
  const env = getEnv();
  return {
    secret: env.AUTH_SECRET,
    // Secure cookies whenever the app is served over HTTPS (always, in a real deployment).
    useSecureCookies: env.APP_URL.startsWith("https://"),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" }, organizationId: { type: "text" } },
        async authorize(credentials, request) {
          const headers = new Headers(request.headers as Record<string, string> | undefined);
          try {
            const user = await signInWithPassword(await getDb(), {
              email: credentials?.email ?? "",
              password: credentials?.password ?? "",
              organizationId: credentials?.organizationId || undefined,
              ip: clientIpFromHeaders(headers),
              requestId: headers.get("x-request-id"),
            });
            return { id: user.id, email: user.email, name: user.name, sessionId: user.sessionId };
          } catch (error) {
            // next-auth hands this message to the sign-in form; only our own safe messages pass.
            if (isAppError(error) && error.status < 500) throw new Error(error.message);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user && "sessionId" in user) token.sessionId = user.sessionId;
        return token;
      },
      session({ session, token }) {
        return Object.assign(session, { userId: token.sub, sessionId: token.sessionId });
      },
    },
    events: {
      // Sign-out ends the session server-side: a copy of the cookie stops working at once.
      async signOut({ token }) {
        const claims = ZSessionClaims.safeParse({ userId: token?.sub, sessionId: token?.sessionId });
        if (claims.success) await revokeSession(await getDb(), claims.data);
      },
    },
  };
}
