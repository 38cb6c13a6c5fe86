import { describe, expect, it } from "vitest";
import { APP_MAX_OLD_SPACE_MB, APP_MAX_SEMI_SPACE_MB, appNodeArgs } from "./app-node-args";

const defaults = [`--max-old-space-size=${APP_MAX_OLD_SPACE_MB}`, `--max-semi-space-size=${APP_MAX_SEMI_SPACE_MB}`];

describe("appNodeArgs", () => {
  it("caps the old generation and widens the young one by default", () => {
    expect(appNodeArgs(undefined)).toEqual(defaults);
    expect(appNodeArgs("--enable-source-maps")).toEqual(defaults);
  });

  it("leaves an operator's own sizes in NODE_OPTIONS alone, each on its own", () => {
    expect(appNodeArgs("--enable-source-maps --max-old-space-size=1024")).toEqual([`--max-semi-space-size=${APP_MAX_SEMI_SPACE_MB}`]);
    expect(appNodeArgs("--max-semi-space-size=8")).toEqual([`--max-old-space-size=${APP_MAX_OLD_SPACE_MB}`]);
    expect(appNodeArgs("--max-old-space-size=1024 --max-semi-space-size=8")).toEqual([]);
  });
});
