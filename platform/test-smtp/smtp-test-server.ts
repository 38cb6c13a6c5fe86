import { SMTPServer } from "smtp-server";

export type ReceivedMessage = { from: string; to: string[]; raw: Buffer };
export type MimePart = { headers: Map<string, string>; contentType: string; filename: string | null; content: Buffer };
export type SmtpTestServer = {
  url: string;
  messages: ReceivedMessage[];
  /** The next `count` messages are refused at DATA with this reply. */
  refuseNext(count: number, responseCode: number, message: string): void;
  stop(): Promise<void>;
};

/**
 * For tests: a real SMTP server (npm smtp-server) on a free loopback port that keeps what it is
 * sent. No TLS and no login, as a local relay would be.
 */
export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const messages: ReceivedMessage[] = [];
  const refusals: { responseCode: number; message: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const refusal = refusals.shift();
        if (refusal) {
          callback(Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode }));
          return;
        }
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("SMTP test server has no TCP address");
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    refuseNext(count, responseCode, message) {
      for (let index = 0; index < count; index += 1) refusals.push({ responseCode, message });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The leaf parts of a MIME message, decoded (base64, quoted-printable), with the top-level headers. */
export function parseMimeMessage(raw: Buffer): { headers: Map<string, string>; parts: MimePart[] } {
  const { headers, body } = splitHeaders(raw.toString("latin1"));
  return { headers, parts: leafParts(headers, body) };
}

function splitHeaders(entity: string): { headers: Map<string, string>; body: string } {
  const end = entity.indexOf("\r\n\r\n");
  const head = end === -1 ? entity : entity.slice(0, end);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: end === -1 ? "" : entity.slice(end + 4) };
}

function parameter(header: string | undefined, name: string): string | null {
  const match = header ? new RegExp(`${name}="?([^";]+)"?`, "i").exec(header) : null;
  return match ? match[1]! : null;
}

function leafParts(headers: Map<string, string>, body: string): MimePart[] {
  const contentType = headers.get("content-type") ?? "text/plain";
  const boundary = parameter(contentType, "boundary");
  if (contentType.toLowerCase().startsWith("multipart/") && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    return sections
      .filter((section) => !section.startsWith("--"))
      .flatMap((section) => {
        const part = splitHeaders(section.replace(/^\r\n/, ""));
        return leafParts(part.headers, part.body);
      });
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  const content =
    encoding === "base64"
      ? Buffer.from(body.replace(/\s+/g, ""), "base64")
      : encoding === "quoted-printable"
        ? Buffer.from(
            body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            "latin1",
          )
        : Buffer.from(body, "latin1");
  return [
    {
      headers,
      contentType: contentType.split(";")[0]!.trim().toLowerCase(),
      filename: parameter(headers.get("content-disposition"), "filename"),
      content,
    },
  ];
}
