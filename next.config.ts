import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  experimental: {
    // Enables forbidden() / app/forbidden.tsx for role checks on pages.
    authInterrupts: true,
  },
  serverExternalPackages: ["pino", "@electric-sql/pglite", "@electric-sql/pglite-socket", "bcryptjs"],
};

export default nextConfig;
