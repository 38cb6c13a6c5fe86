import type { NextConfig } from "next";
import { baseSecurityHeaders } from "./lib/security/headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Server-action arguments can hold patient data: never print them in dev logs.
  logging: { serverFunctions: false },
  reactStrictMode: true,
  typedRoutes: false,
  experimental: {
    // Enables forbidden() / app/forbidden.tsx for role checks on pages.
    authInterrupts: true,
  },
  // Always defined at build time, so a build for real Stripe inlines "" and drops the emulator's
  // browser stand-in from the bundle (lib/stripe/client/get-stripe.ts).
  env: { NEXT_PUBLIC_STRIPE_EMULATOR_URL: process.env.NEXT_PUBLIC_STRIPE_EMULATOR_URL ?? "" },
  // The proxy runs only for pages: /_next/ files, and API answers that never reach a route()
  // handler (an unknown /api/ path, a method a route lacks), get the static security headers here.
  // (HSTS depends on APP_URL at run time: pages and route() add it.)
  async headers() {
    const headers = Object.entries(baseSecurityHeaders({ https: false })).map(([key, value]) => ({ key, value }));
    return [
      { source: "/_next/:path*", headers },
      { source: "/api/:path*", headers },
    ];
  },
  serverExternalPackages: ["pino", "@electric-sql/pglite", "bcryptjs", "pg-boss", "nodemailer", "@react-pdf/renderer", "ssh2", "ssh2-sftp-client"],
};

export default nextConfig;
