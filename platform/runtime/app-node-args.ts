/**
 * The old generation's size for a production app process, MB (the heap's long-lived part). It was
 * 256 until the app grew (insurance, plans, memberships): an idle server now holds ~130 MB, and a
 * browser-test run hit the 256 MB limit (the process stopped, out of memory) under two workers.
 */
export const APP_MAX_OLD_SPACE_MB = 512;

/** Each semi-space of the young generation, MB (Node's default is 16). */
export const APP_MAX_SEMI_SPACE_MB = 32;

/**
 * Node options for a production app process (`npm start`, `npm run bench`). With no limit, V8 on
 * a large machine lets the heap grow to gigabytes before collecting it fully, so one instance's
 * memory climbed to ~800 MB under load and stayed there; a capped old generation keeps it flat, at
 * a few percent of throughput (bench/README.md: 256 MB then, ~400 MB RSS). A 32 MB semi-space lets the
 * short-lived garbage of a request (a PDF render makes megabytes) die young: half the scavenges,
 * fewer full collections, +7% webhook throughput and a shorter PDF tail for ~30 MB more RSS. An
 * operator's own `--max-old-space-size` / `--max-semi-space-size` in NODE_OPTIONS wins.
 */
export function appNodeArgs(nodeOptions: string | undefined = process.env.NODE_OPTIONS): string[] {
  return [
    ...(nodeOptions?.includes("--max-old-space-size") ? [] : [`--max-old-space-size=${APP_MAX_OLD_SPACE_MB}`]),
    ...(nodeOptions?.includes("--max-semi-space-size") ? [] : [`--max-semi-space-size=${APP_MAX_SEMI_SPACE_MB}`]),
  ];
}

/**
 * Options for `next start`. Idle keep-alive connections stay open 65 s (Node's default is 5 s):
 * longer than the idle timeout of common load balancers (60 s), so the server never closes a
 * connection that a balancer or client is about to reuse (which surfaces as ECONNRESET).
 */
export const NEXT_START_ARGS = ["--keepAliveTimeout", "65000"] as const;
