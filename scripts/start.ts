/**
 * `npm start` / `npm run dev`: prepares the runtime (secrets, embedded or real PostgreSQL,
 * migrations, demo data, Stripe or its emulator), builds if no production build exists (or
 * the existing one was made for another Stripe mode), then runs Next.js as a child process and
 * stops everything together; if Next.js crashes, the Stripe emulator is left running for the
 * next start to adopt (platform/runtime/supervise-app.ts). `npm run build` (`start.ts build`) only builds.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import nextEnv from "@next/env";
import { EnvError } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { prepareRuntime } from "@/platform/runtime/prepare-runtime";
import { resolveStripeMode, stripeBuildEnv } from "@/platform/runtime/stripe-runtime";
import { DEMO_PASSWORD, DEMO_USERS } from "@/platform/demo/demo-accounts";
import { appNodeArgs, NEXT_START_ARGS } from "@/platform/runtime/app-node-args";
import { superviseApp } from "@/platform/runtime/supervise-app";

const mode = process.argv[2] === "dev" ? "dev" : process.argv[2] === "build" ? "build" : "start";
nextEnv.loadEnvConfig(process.cwd(), mode === "dev");
const log = logger.child({ component: "launcher" });
const nextBin = "node_modules/next/dist/bin/next";
/** The build-time variables a build was made with (NEXT_PUBLIC_* are inlined into the bundle). */
const buildStamp = ".next/carebill-build-env.json";

function builtWith(): Record<string, string> | null {
  if (!existsSync(".next/BUILD_ID")) return null;
  // A build without a stamp was made by a bare `next build`: without the emulator.
  if (!existsSync(buildStamp)) return { NEXT_PUBLIC_STRIPE_EMULATOR_URL: "" };
  return JSON.parse(readFileSync(buildStamp, "utf8")) as Record<string, string>;
}

function build(buildEnv: Record<string, string>): void {
  const result = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...process.env, ...buildEnv, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error("next build failed");
  writeFileSync(buildStamp, `${JSON.stringify(buildEnv, null, 2)}\n`);
}

async function main() {
  if (mode === "build") {
    build(stripeBuildEnv(resolveStripeMode(process.env)));
    return;
  }
  const runtime = await prepareRuntime({ source: process.env, log });

  const existing = mode === "start" ? builtWith() : null;
  if (mode === "start" && JSON.stringify(existing) !== JSON.stringify(runtime.buildEnv)) {
    log.info(
      existing
        ? "the existing build was made for another Stripe (emulator) setting: rebuilding"
        : "no production build yet: running `next build` (first start only)",
    );
    try {
      build(runtime.buildEnv);
    } catch (error) {
      await runtime.stop();
      throw error;
    }
  }

  const child = spawn(
    process.execPath,
    [
      ...(mode === "start" ? appNodeArgs() : []),
      nextBin,
      mode,
      ...(mode === "start" ? NEXT_START_ARGS : []),
      "--port",
      String(runtime.port),
      "--hostname",
      runtime.host,
    ],
    { stdio: "inherit", env: { ...runtime.env, NODE_ENV: mode === "dev" ? "development" : "production" } },
  );
  log.info({ url: runtime.appUrl, mode }, `Carebill is starting on ${runtime.appUrl}`);
  if (runtime.demoMode) {
    const accounts = DEMO_USERS.map((user) => `${user.email} (${user.role})`).join(", ");
    log.info({ demoPassword: DEMO_PASSWORD }, `demo sign-in: ${accounts} with password "${DEMO_PASSWORD}"`);
  }

  const supervisor = superviseApp({ app: child, stopRuntime: (how) => runtime.stop(how), log });
  process.on("SIGINT", () => supervisor.stop("SIGINT"));
  process.on("SIGTERM", () => supervisor.stop("SIGTERM"));
  process.exit(await supervisor.exited);
}

main().catch((error: unknown) => {
  if (error instanceof EnvError) {
    log.fatal({ variables: error.issues.map((issue) => issue.name) }, error.message);
  } else {
    log.fatal({ err: error }, "failed to start");
  }
  process.exit(1);
});
