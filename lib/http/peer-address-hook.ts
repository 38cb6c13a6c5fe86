import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { PEER_ADDRESS_HEADER, PEER_ADDRESS_HOOK_FLAG } from "./client-ip";

/**
 * Next.js route handlers never see the socket, and Next only fills X-Forwarded-For with the peer
 * when the client sent none, so a client could choose its own address. Node publishes every
 * request on this diagnostics channel before the server handles it: we stamp the real TCP peer
 * into our own header there, overwriting whatever the client sent under that name.
 */
export function installPeerAddressHook(): void {
  const flags = globalThis as Record<symbol, unknown>;
  if (flags[PEER_ADDRESS_HOOK_FLAG] === true) return;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_ADDRESS_HEADER] = socket.remoteAddress ?? "";
  });
  flags[PEER_ADDRESS_HOOK_FLAG] = true;
}
