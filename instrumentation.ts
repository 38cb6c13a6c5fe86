/**
 * Runs once when the server starts: a bad environment stops it here, naming the variable. The
 * socket hook gives route handlers the real TCP peer (lib/http/client-ip.ts). Then the background jobs (email delivery) start in this process, unless JOBS_DISABLED=true.
 */
export async function register() {
  // The documented shape for Node-only imports: the edge build drops this whole block.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getEnv } = await import("@/lib/env");
    const env = getEnv();
    const { installPeerAddressHook } = await import("@/lib/http/peer-address-hook");
    installPeerAddressHook();
    // `next build` loads this file too (to prerender); the worker belongs to the running server.
    if (process.env.NEXT_PHASE === "phase-production-build" || env.JOBS_DISABLED) return;
    try {
      const { startJobWorker } = await import("@/lib/jobs/start-job-worker");
      // Not awaited: the server answers at once; jobs start as soon as the database does.
      void startJobWorker();
    } catch (error) {
      // Pages and the API keep working without the worker; queued email waits in the outbox.
      const { logger } = await import("@/lib/observability/logger");
      logger.error({ err: error, component: "jobs" }, "background jobs could not be loaded");
    }
  }
}
