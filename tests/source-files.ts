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
