import { join } from "node:path";
import { z } from "zod";
import { readEmulatorConfig } from "./config";
import { startClearinghouseEmulator } from "./clearinghouse";

/** CLI entry: `npx tsx clearinghouse-emulator/src/main.ts`. Configuration comes from the environment (README). */
const Env = z.object({
  CLEARINGHOUSE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(2222),
  CLEARINGHOUSE_EMULATOR_HOST: z.enum(["127.0.0.1", "localhost", "::1"], "must be a loopback address").default("127.0.0.1"),
  CLEARINGHOUSE_EMULATOR_DATA_DIR: z.string().min(1).default(join(".data", "clearinghouse-emulator")),
  CLEARINGHOUSE_EMULATOR_CONFIG: z.string().min(1).optional(),
});

async function main(): Promise<void> {
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`clearinghouse-emulator: ${issue.path.join(".")}: ${issue.message}`);
    process.exit(1);
  }
  const env = parsed.data;
  const config = env.CLEARINGHOUSE_EMULATOR_CONFIG ? readEmulatorConfig(env.CLEARINGHOUSE_EMULATOR_CONFIG) : readEmulatorConfig();
  const emulator = await startClearinghouseEmulator({
    dataDir: env.CLEARINGHOUSE_EMULATOR_DATA_DIR,
    config,
    host: env.CLEARINGHOUSE_EMULATOR_HOST,
    port: env.CLEARINGHOUSE_EMULATOR_PORT,
    log: (msg, details) => console.log(JSON.stringify({ level: "info", component: "clearinghouse-emulator", msg, ...details })),
  });
  console.log(
    JSON.stringify({
      level: "info",
      msg: "clearinghouse-emulator listening",
      host: env.CLEARINGHOUSE_EMULATOR_HOST,
      port: emulator.port,
      hostKeySha256: emulator.hostKeySha256,
      dataDir: env.CLEARINGHOUSE_EMULATOR_DATA_DIR,
      clearinghouseId: config.clearinghouseId,
    }),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`clearinghouse-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
