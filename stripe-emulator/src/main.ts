import { z } from "zod";
import { startEmulator } from "./server";

/** CLI entry: `npx tsx stripe-emulator/src/main.ts`. Configuration comes from the environment. */
const Env = z.object({
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(12111),
  STRIPE_EMULATOR_HOST: z.string().default("127.0.0.1"),
  STRIPE_EMULATOR_STATE_FILE: z.string().min(1).optional(),
  STRIPE_WEBHOOK_URL: z.string().url().optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_/, "must start with whsec_")
    .optional(),
});

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

async function main(): Promise<void> {
  // The launcher reads our output through a pipe. When it is gone (the app crashed and the
  // launcher with it), writing fails with EPIPE: the emulator keeps running, as Stripe would,
  // with its state and its pending webhook deliveries, for the next launcher to adopt.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`stripe-emulator: ${issue.path.join(".")}: ${issue.message}`);
    process.exit(1);
  }
  const env = parsed.data;
  if (!LOOPBACK.has(env.STRIPE_EMULATOR_HOST)) {
    console.error(`stripe-emulator: STRIPE_EMULATOR_HOST must be a loopback address, not ${env.STRIPE_EMULATOR_HOST}`);
    process.exit(1);
  }
  if (Boolean(env.STRIPE_WEBHOOK_URL) !== Boolean(env.STRIPE_WEBHOOK_SECRET)) {
    console.error("stripe-emulator: set both STRIPE_WEBHOOK_URL and STRIPE_WEBHOOK_SECRET, or neither");
    process.exit(1);
  }
  let stop: (reason: string) => void = () => undefined;
  const emulator = await startEmulator({
    onShutdownRequest: () => stop("shutdown request"),
    port: env.STRIPE_EMULATOR_PORT,
    host: env.STRIPE_EMULATOR_HOST,
    persistFile: env.STRIPE_EMULATOR_STATE_FILE,
    webhook: env.STRIPE_WEBHOOK_URL && env.STRIPE_WEBHOOK_SECRET ? { url: env.STRIPE_WEBHOOK_URL, secret: env.STRIPE_WEBHOOK_SECRET } : undefined,
  });
  console.log(
    JSON.stringify({
      level: "info",
      msg: "stripe-emulator listening",
      url: emulator.url,
      port: emulator.port,
      stateFile: env.STRIPE_EMULATOR_STATE_FILE ?? null,
      webhookUrl: env.STRIPE_WEBHOOK_URL ?? null,
    }),
  );
  let stopping = false;
  stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => {
        console.log(JSON.stringify({ level: "info", msg: "stripe-emulator stopped", signal }));
        process.exit(0);
      },
      (error: unknown) => {
        console.error(JSON.stringify({ level: "error", msg: "stripe-emulator failed to stop", error: String(error) }));
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code ?? null;
  console.error(JSON.stringify({ level: "error", msg: "stripe-emulator failed to start", code, error: String(error) }));
  process.exit(1);
});
