const STORAGE_KEY = 'mesoscope.token';

/**
 * The web host's access token arrives in the URL (`?token=…`). Keep it for this tab and take it out of
 * the address bar, so it is not left in history, screenshots or a copied link.
 */
export function takeWebToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(STORAGE_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url);
    return fromUrl;
  }
  return sessionStorage.getItem(STORAGE_KEY);
}

export function forgetWebToken(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
