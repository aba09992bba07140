/**
 * The renderer's Content-Security-Policy. Everything comes from the app itself; no eval, no inline
 * script, no plugins, no framing. `connect-src` differs by host: the Electron window talks to the main
 * process over IPC only, the web host's page over its own WebSocket.
 */
export function contentSecurityPolicy(connectSrc: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Radix dialogs inject <style> elements for scroll locking (react-remove-scroll) whose content
    // varies, so no hash fits; inline styles cannot run code, scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export const ELECTRON_CSP = contentSecurityPolicy("'none'");
