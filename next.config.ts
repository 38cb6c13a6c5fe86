import type { NextConfig } from "next";

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
  // The proxy skips /_next/ files (scripts, styles, fonts); they still must not be sniffed or framed.
  async headers() {
    return [
      {
        source: "/_next/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
  serverExternalPackages: ["pino", "@electric-sql/pglite", "bcryptjs", "pg-boss", "nodemailer", "@react-pdf/renderer"],
};

export default nextConfig;
