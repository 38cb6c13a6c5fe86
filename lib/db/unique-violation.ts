/** True when the error is a unique-constraint violation, optionally on a constraint naming `column`. */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  const candidate = error as { code?: string; message?: string; meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: unknown } } } };
  if (candidate?.code !== "P2002") return false;
  if (!column) return true;
  const details = JSON.stringify([candidate.meta?.target, candidate.meta?.driverAdapterError?.cause, candidate.message]);
  return details.includes(column) || details.includes(column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()));
}
