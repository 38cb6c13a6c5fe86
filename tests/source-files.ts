import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * The project's source files under `directory` whose names match `extensions`, for tests that read
 * the code itself; node_modules, generated code, dot folders and test files left out.
 */
export function sourceFiles(directory: string, extensions: RegExp = /\.(ts|tsx)$/): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full, extensions);
    return extensions.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Where the application's own code lives (what runs in production, its scripts and its emulators). */
const CODE_FOLDERS = ["lib", "app", "components", "scripts", "platform", "stripe-emulator", "clearinghouse-emulator"];

/**
 * Every source file of the application under `root` (tests, node_modules and generated code left
 * out), as paths relative to it: for the "one writer" tests that scan the code for writes only
 * one module may make.
 */
export function codeFiles(root: string): string[] {
  return CODE_FOLDERS.flatMap((folder) => {
    try {
      return sourceFiles(path.join(root, folder), /\.(ts|tsx|mts)$/).map((file) => path.relative(root, file));
    } catch {
      return [];
    }
  });
}
