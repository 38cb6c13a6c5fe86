import type { AuthContext } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

/** Who is signed in for a staff route under test: set `current` (testAuthContext), null when signed out. */
export const session = { current: null as AuthContext | null };

/**
 * A stand-in for @/lib/auth/session whose requireAuth answers with `session.current` (401 when
 * null). In a test file:
 *   vi.mock("@/lib/auth/session", async () => (await import("@/tests/staff-session")).mockedAuthSession());
 */
export function mockedAuthSession() {
  return {
    requireAuth: async () => {
      if (!session.current) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
      return session.current;
    },
  };
}
