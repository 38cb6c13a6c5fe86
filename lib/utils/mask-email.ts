/**
 * An email address as a patient may be shown it on a page a forwarded link can open: the first
 * letter of the mailbox, then dots, then the domain ("m•••@example.com").
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${address[0]}•••${address.slice(at)}`;
}
