// The lock lives with every other lock, in lib/db/locks.ts (the lock order).
export { lockDispute as lockDisputeOrThrow } from "@/lib/db/locks";
