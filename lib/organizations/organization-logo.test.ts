import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { MAX_LOGO_BYTES, sniffImageType, validateLogo } from "./organization-logo";

const png = (size = 64) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size, 1)]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const webp = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0, 0, 0, 0]), Buffer.from("WEBPVP8 "), Buffer.alloc(32)]);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError && error.code === "VALIDATION_FAILED") return error.fields?.logo?.[0] ?? "";
    throw error;
  }
  throw new Error("accepted");
}

describe("logo validation", () => {
  it("accepts PNG and JPEG by their first bytes, with the type to serve", () => {
    expect(validateLogo(png(), "image/png")).toBe("image/png");
    expect(validateLogo(jpeg, "image/jpeg")).toBe("image/jpeg");
    expect(validateLogo(jpeg, "image/jpg")).toBe("image/jpeg");
    // No declared type (or a generic one): the bytes decide.
    expect(validateLogo(png(), undefined)).toBe("image/png");
    expect(validateLogo(jpeg, "application/octet-stream")).toBe("image/jpeg");
  });

  it("refuses a file whose bytes are not an image, whatever it says it is", () => {
    expect(refusal(() => validateLogo(Buffer.from("MZ\x90\x00 this is an exe"), "image/png"))).toMatch(/not a PNG or JPEG/);
    expect(refusal(() => validateLogo(Buffer.from("<html><script>alert(1)</script>"), "image/jpeg"))).toMatch(/not a PNG or JPEG/);
  });

  it("refuses bytes that contradict the declared type", () => {
    expect(refusal(() => validateLogo(jpeg, "image/png"))).toMatch(/do not match/);
  });

  it("refuses SVG (script risk), however it starts", () => {
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe("image/svg+xml");
    expect(refusal(() => validateLogo(Buffer.from('  <?xml version="1.0"?>\n<svg onload="alert(1)"></svg>'), "image/svg+xml"))).toMatch(/SVG/);
    expect(refusal(() => validateLogo(Buffer.from("\uFEFF<svg></svg>"), "image/png"))).toMatch(/SVG/);
  });

  it("refuses WebP and GIF, which PDFs and some email apps cannot show", () => {
    expect(refusal(() => validateLogo(webp, "image/webp"))).toMatch(/WebP/);
    expect(refusal(() => validateLogo(Buffer.from("GIF89a......"), "image/gif"))).toMatch(/GIF/);
  });

  it("refuses empty files and files over 512 KB; 512 KB exactly is fine", () => {
    expect(refusal(() => validateLogo(Buffer.alloc(0), "image/png"))).toMatch(/Choose an image/);
    expect(validateLogo(png(MAX_LOGO_BYTES - 8), "image/png")).toBe("image/png");
    expect(refusal(() => validateLogo(png(MAX_LOGO_BYTES - 7), "image/png"))).toMatch(/at most 512 KB/);
  });
});
