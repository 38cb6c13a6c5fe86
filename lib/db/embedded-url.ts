/**
 * The application_name that marks a connection string as the embedded server's
 * (platform/embedded-db/embedded.ts puts it in the URL it serves). Its one session is shared by all
 * clients, so they must not prepare named statements (lib/db/client.ts). Kept in lib/ apart from
 * the server, which loads PGlite: the app's database client needs only this.
 */
export const EMBEDDED_APPLICATION_NAME = "carebill-embedded";

/** Whether a connection string names the embedded server (or cannot be read: then assume it might). */
export function isEmbeddedUrl(connectionString: string): boolean {
  try {
    return new URL(connectionString).searchParams.get("application_name") === EMBEDDED_APPLICATION_NAME;
  } catch {
    return true;
  }
}
