import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SIGN_IN_ATTEMPTS_PER_IP, signInWithPassword } from "@/lib/auth/sign-in";
import { EnvError, parseEnv, ZServerEnv, ZTrustedProxies } from "@/lib/env";
import { setupTestDatabase } from "@/tests/test-database";
import { clientIpFromHeaders, PEER_ADDRESS_HEADER, resolveClientIp } from "./client-ip";
import { formatIpAddress, parseIpAddress } from "./ip-address";
import { installPeerAddressHook } from "./peer-address-hook";

const database = setupTestDatabase();

/** A real HTTP server, with the hook the app installs at startup, that answers what the app would take as the client's address. */
let server: Server;
let port: number;
let onRequest: (headers: Headers) => Promise<unknown> = async (headers) => clientIpFromHeaders(headers);

beforeAll(async () => {
  installPeerAddressHook();
  server = createServer((request, response) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
    void onRequest(headers).then((result) => response.end(JSON.stringify(result ?? null)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function send(headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: "127.0.0.1", port, headers }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve(JSON.parse(body)));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

async function withTrustedProxies<T>(value: string | undefined, run: () => Promise<T>): Promise<T> {
  const before = process.env.TRUSTED_PROXIES;
  if (value === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = value;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.TRUSTED_PROXIES;
    else process.env.TRUSTED_PROXIES = before;
  }
}

describe("client IP", () => {
  it("ignores X-Forwarded-For, X-Real-IP and a forged peer header when no proxy is trusted (the default)", async () => {
    await withTrustedProxies(undefined, async () => {
      expect(await send({})).toBe("127.0.0.1");
      expect(await send({ "x-forwarded-for": "203.0.113.7" })).toBe("127.0.0.1");
      expect(await send({ "x-forwarded-for": "203.0.113.7, 198.51.100.2", "x-real-ip": "192.0.2.1" })).toBe("127.0.0.1");
      expect(await send({ [PEER_ADDRESS_HEADER]: "203.0.113.9" })).toBe("127.0.0.1");
    });
  });

  it("a client rotating X-Forwarded-For still hits the per-IP sign-in limit", async () => {
    onRequest = (headers) =>
      signInWithPassword(database.db, { email: "nobody@example.test", password: "guess", ip: clientIpFromHeaders(headers), requestId: null }).then(
        () => "OK",
        (error: { code?: string }) => error.code,
      );
    try {
      await withTrustedProxies(undefined, async () => {
        const codes: unknown[] = [];
        for (let index = 0; index <= MAX_SIGN_IN_ATTEMPTS_PER_IP; index++) {
          codes.push(await send({ "x-forwarded-for": `198.51.100.${index + 1}` }));
        }
        // The email lockout answers first for the same address; a fresh email shows the IP limit.
        expect(codes.at(-1)).toBe("RATE_LIMITED");
        const bucket = await database.db.rateLimitBucket.findUniqueOrThrow({ where: { key: "sign-in:ip:127.0.0.1" } });
        expect(bucket.count).toBe(MAX_SIGN_IN_ATTEMPTS_PER_IP + 1);
        expect(await database.db.rateLimitBucket.count({ where: { key: { startsWith: "sign-in:ip:198.51.100." } } })).toBe(0);
        const audited = await database.db.auditEvent.findMany({ where: { action: "auth.sign_in_failed" }, select: { ip: true } });
        expect(new Set(audited.map((event) => event.ip))).toEqual(new Set(["127.0.0.1"]));
      });
    } finally {
      onRequest = async (headers) => clientIpFromHeaders(headers);
    }
  });

  it("behind trusted proxies, takes the right-most untrusted address", async () => {
    await withTrustedProxies("loopback, 10.0.0.0/8", async () => {
      expect(await send({ "x-forwarded-for": "203.0.113.7" })).toBe("203.0.113.7");
      // A client's own forged entries sit left of what the proxies appended.
      expect(await send({ "x-forwarded-for": "192.0.2.66, 203.0.113.7, 10.1.2.3" })).toBe("203.0.113.7");
      // No forwarded header: the peer (a trusted proxy) is all there is.
      expect(await send({ "x-forwarded-for": "" })).toBe("127.0.0.1");
    });
    await withTrustedProxies("10.0.0.0/8", async () => {
      // The peer (loopback) is not trusted: its X-Forwarded-For is not believed.
      expect(await send({ "x-forwarded-for": "203.0.113.7" })).toBe("127.0.0.1");
    });
  });

  it("walks the chain exactly as proxy-addr does", () => {
    const trustedProxies = ZTrustedProxies.parse("10.0.0.0/8, 2001:db8::/32");
    const resolve = (peerAddress: string | null, forwardedFor: string | null) => resolveClientIp({ peerAddress, forwardedFor, trustedProxies });
    expect(resolve("10.0.0.1", "203.0.113.1, 10.0.0.9")).toBe("203.0.113.1");
    expect(resolve("10.0.0.1", "10.0.0.8, 10.0.0.9")).toBe("10.0.0.8");
    expect(resolve("::ffff:10.0.0.1", "2001:db8::1, 2001:0DB8:0:0:0:0:0:0abc")).toBe("2001:db8::1");
    expect(resolve("10.0.0.1", "not-an-ip")).toBeNull();
    expect(resolve("203.0.113.5", "10.0.0.9")).toBe("203.0.113.5");
    expect(resolve(null, "203.0.113.1")).toBeNull();
    expect(clientIpFromHeaders(new Headers({ "x-forwarded-for": "203.0.113.1" }))).toBeNull();
  });

  it("parses and prints IPv4 and IPv6 addresses", () => {
    for (const [input, printed] of [
      ["192.168.0.1", "192.168.0.1"],
      ["::1", "::1"],
      ["[2001:DB8::0:1]", "2001:db8::1"],
      ["::ffff:127.0.0.1", "127.0.0.1"],
      ["fe80::1%eth0", "fe80::1"],
      ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ]) {
      expect(formatIpAddress(parseIpAddress(input!)!)).toBe(printed);
    }
    for (const invalid of ["256.1.1.1", "1.2.3", "01.2.3.4", "1::2::3", "1:2:3:4:5:6:7:8:9", "example.com", ""]) {
      expect(parseIpAddress(invalid)).toBeNull();
    }
  });

  it("TRUSTED_PROXIES defaults to none, and a malformed entry stops the app naming the variable", () => {
    const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test", AUTH_SECRET: "x".repeat(40) };
    expect(parseEnv(ZServerEnv, base).TRUSTED_PROXIES).toEqual([]);
    expect(parseEnv(ZServerEnv, { ...base, TRUSTED_PROXIES: "10.0.0.0/8, loopback" }).TRUSTED_PROXIES).toHaveLength(3);
    const error = (() => {
      try {
        parseEnv(ZServerEnv, { ...base, TRUSTED_PROXIES: "10.0.0.0/33" });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).message).toContain('TRUSTED_PROXIES: "10.0.0.0/33" is not an IP address');
  });
});
