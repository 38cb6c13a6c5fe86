/** An address as bytes: 4 for IPv4, 16 for IPv6. IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is read as IPv4. */
export type IpBytes = number[];
export type IpRange = { bytes: IpBytes; prefixLength: number };

function parseIpv4(value: string): IpBytes | null {
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((part) => (/^(0|[1-9]\d{0,2})$/.test(part) ? Number(part) : NaN));
  return bytes.every((byte) => byte >= 0 && byte <= 255) ? bytes : null;
}

function parseIpv6(value: string): IpBytes | null {
  const address = value.replace(/%[0-9A-Za-z._~-]+$/, ""); // zone id (fe80::1%eth0)
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === "") return [];
    const groups: number[] = [];
    const pieces = part.split(":");
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes(".")) {
        const ipv4 = parseIpv4(piece);
        if (!ipv4) return null;
        groups.push((ipv4[0]! << 8) | ipv4[1]!, (ipv4[2]! << 8) | ipv4[3]!);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

const IPV4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Parses an IPv4 or IPv6 address (IPv6 optionally in brackets); null when it is not one. */
export function parseIpAddress(value: string): IpBytes | null {
  const trimmed = value.trim().replace(/^\[(.*)\]$/, "$1");
  if (trimmed.length === 0 || trimmed.length > 64) return null;
  if (!trimmed.includes(":")) return parseIpv4(trimmed);
  const bytes = parseIpv6(trimmed);
  if (bytes && IPV4_MAPPED_PREFIX.every((byte, index) => bytes[index] === byte)) return bytes.slice(12);
  return bytes;
}

/** The address written the usual way: dotted IPv4, compressed lower-case IPv6. */
export function formatIpAddress(bytes: IpBytes): string {
  if (bytes.length === 4) return bytes.join(".");
  const groups = Array.from({ length: 8 }, (_, index) => ((bytes[index * 2]! << 8) | bytes[index * 2 + 1]!).toString(16));
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === "0") length++;
    if (length > bestLength && length > 1) [bestStart, bestLength] = [start, length];
  }
  if (bestStart === -1) return groups.join(":");
  return `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLength).join(":")}`;
}

/** Names for common ranges, as proxy-addr (Express's `trust proxy`) accepts them. */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ["127.0.0.1/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

/** `10.0.0.0/8`, `2001:db8::/32`, a single address, or one of loopback, linklocal, uniquelocal. */
export function parseIpRanges(value: string): IpRange[] | null {
  const named = NAMED_RANGES[value.trim().toLowerCase()];
  if (named) return named.map((range) => parseIpRanges(range)![0]!);
  const [address, prefix, ...rest] = value.trim().split("/");
  const bytes = parseIpAddress(address ?? "");
  if (!bytes || rest.length > 0) return null;
  const maxLength = bytes.length * 8;
  if (prefix === undefined) return [{ bytes, prefixLength: maxLength }];
  if (!/^\d{1,3}$/.test(prefix)) return null;
  // `::ffff:10.0.0.0/104` was parsed to IPv4: its prefix counts the 96 bits of the mapping too.
  const prefixLength = Number(prefix) - (address!.includes(":") && bytes.length === 4 ? 96 : 0);
  return prefixLength >= 0 && prefixLength <= maxLength ? [{ bytes, prefixLength }] : null;
}

export function rangeContains(range: IpRange, address: IpBytes): boolean {
  if (range.bytes.length !== address.length) return false;
  for (let bit = 0; bit < range.prefixLength; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((range.bytes[bit >> 3]! & mask) !== (address[bit >> 3]! & mask)) return false;
  }
  return true;
}
