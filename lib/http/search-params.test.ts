import { describe, expect, it } from "vitest";
import { firstParam, nextPageHref } from "./search-params";

describe("search params", () => {
  it("takes the first non-empty value", () => {
    expect(firstParam({ a: ["x", "y"], b: "", c: undefined, d: "z" }, "a")).toBe("x");
    expect(firstParam({ b: "" }, "b")).toBeUndefined();
    expect(firstParam({}, "c")).toBeUndefined();
  });

  it("builds the next page's URL from the filters that are set", () => {
    expect(nextPageHref("/app/payments", { status: "failed", from: "", other: "ignored" }, ["status", "from"], "abc")).toBe(
      "/app/payments?status=failed&cursor=abc",
    );
  });
});
