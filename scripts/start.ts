/**
 * `npm start` / `npm run dev`: prepares the runtime (secrets, embedded or real PostgreSQL,
 * migrations, demo data), builds once if no production build exists, then runs Next.js as a
 * child process and stops everything together.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import nextEnv from "@next/env";
import { EnvError } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { prepareRuntime } from "@/lib/runtime/prepare-runtime";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/demo/seed-demo";

const mode = process.argv[2] === "dev" ? "dev" : "start";
nextEnv.loadEnvConfig(process.cwd(), mode === "dev");
const log = logger.child({ component: "launcher" });
const nextBin = "node_modules/next/dist/bin/next";

async function main() {
  const runtime = await prepareRuntime({ source: process.env, log });

  if (mode === "start" && !existsSync(".next/BUILD_ID")) {
    log.info("no production build yet: running `next build` (first start only)");
    const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) {
      await runtime.stop();
      throw new Error("next build failed");
    }
  }

  const child = spawn(
    process.execPath,
    [nextBin, mode, "--port", String(runtime.port), "--hostname", runtime.host],
    { stdio: "inherit", env: { ...runtime.env, NODE_ENV: mode === "dev" ? "development" : "production" } },
  );
  log.info({ url: runtime.appUrl, mode }, `Carebill is starting on ${runtime.appUrl}`);
  if (runtime.demoMode) {
    const accounts = DEMO_USERS.map((user) => `${user.email} (${user.role})`).join(", ");
    log.info({ demoPassword: DEMO_PASSWORD }, `demo sign-in: ${accounts} with password "${DEMO_PASSWORD}"`);
  }

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    child.kill(signal);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  child.on("exit", async (code, signal) => {
    await runtime.stop();
    log.info({ code, signal }, "stopped");
    process.exit(code ?? (signal ? 0 : 1));
  });
}

main().catch((error: unknown) => {
  if (error instanceof EnvError) {
    log.fatal({ variables: error.issues.map((issue) => issue.name) }, error.message);
  } else {
    log.fatal({ err: error }, "failed to start");
  }
  process.exit(1);
});
