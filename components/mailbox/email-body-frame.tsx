/**
 * Shows an email's HTML isolated from the app: a sandboxed frame with no scripts, no forms and no
 * access to this origin (so its markup cannot touch the page or the session). Links open in a
 * new tab outside the sandbox, so people can follow them (e.g. a pay link).
 */
export function EmailBodyFrame({ html, title }: { html: string; title: string }) {
  const document = `<!doctype html><html><head><meta charset="utf-8"><base target="_blank"><style>body{margin:16px;font:14px/1.5 system-ui,sans-serif;color:#1b2230;background:#fff}a{color:#0b6e69}</style></head><body>${html}</body></html>`;
  return (
    <iframe
      title={title}
      srcDoc={document}
      sandbox="allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      className="h-80 w-full rounded-md border bg-white"
    />
  );
}
