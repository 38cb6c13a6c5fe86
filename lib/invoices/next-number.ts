// The counter lock lives with every other lock, in lib/db/locks.ts (the lock order).
export { nextNumber } from "@/lib/db/locks";
