import { describe, expect, it } from "vitest";
import { APP_MAX_OLD_SPACE_MB, appNodeArgs } from "./app-node-args";

describe("appNodeArgs", () => {
  it("caps the old generation by default", () => {
    expect(appNodeArgs(undefined)).toEqual([`--max-old-space-size=${APP_MAX_OLD_SPACE_MB}`]);
    expect(appNodeArgs("--enable-source-maps")).toEqual([`--max-old-space-size=${APP_MAX_OLD_SPACE_MB}`]);
  });

  it("leaves an operator's own limit in NODE_OPTIONS alone", () => {
    expect(appNodeArgs("--enable-source-maps --max-old-space-size=1024")).toEqual([]);
  });
});
