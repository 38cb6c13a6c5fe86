import type { ChildProcess } from "node:child_process";
import type { Logger } from "pino";

export type AppSupervisor = {
  /** A normal stop (Ctrl-C, SIGTERM): stops the app, then everything the launcher started. */
  stop(signal: NodeJS.Signals): void;
  /** The launcher's exit code, once the app has exited and the runtime is stopped. */
  exited: Promise<number>;
};

/**
 * Watches the app server (the Next.js child) for the launcher. When the launcher is asked to stop,
 * it stops the app, then the runtime (database, Stripe emulator). When the app exits on its own
 * (a crash, `kill -9`), the runtime is stopped but the Stripe emulator is left running, as Stripe
 * itself would be: it keeps its state and keeps retrying the webhooks the app missed, and the next
 * `npm start` adopts it.
 */
export function superviseApp(options: {
  app: ChildProcess;
  stopRuntime(how: { leaveStripeEmulatorRunning: boolean }): Promise<void>;
  log: Logger;
}): AppSupervisor {
  const { app, log } = options;
  let stopping = false;
  const exited = new Promise<number>((resolve) => {
    app.once("exit", (code, signal) => {
      const crashed = !stopping && (signal !== null || code !== 0);
      if (crashed) {
        log.error(
          { code, signal },
          "the app server stopped unexpectedly; the Stripe emulator keeps running with its state and pending webhooks: run `npm start` again to resume",
        );
      }
      void options.stopRuntime({ leaveStripeEmulatorRunning: crashed }).then(
        () => {
          log.info({ code, signal }, "stopped");
          resolve(crashed ? code || 1 : (code ?? 0));
        },
        (error: unknown) => {
          log.error({ err: error }, "failed to stop cleanly");
          resolve(1);
        },
      );
    });
  });
  return {
    stop(signal) {
      if (stopping) return;
      stopping = true;
      if (app.exitCode === null && app.signalCode === null) app.kill(signal);
    },
    exited,
  };
}
