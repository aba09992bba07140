import { open, unlink } from 'node:fs/promises';

/**
 * Writes the page's link (it carries the access token) to a file only its owner may read: created
 * anew with mode 0600, so an existing file's wider mode, or a link planted at the path, is not used.
 */
export async function writeUrlFile(path: string, url: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw new Error(`--print-url-to ${path}: cannot replace it (${err.message})`);
  });
  const file = await open(path, 'wx', 0o600).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`--print-url-to ${path}: cannot create it (${err.message})`);
  });
  try {
    // The umask cannot widen 0600, but a filesystem may have given other bits: set them again.
    await file.chmod(0o600);
    await file.writeFile(`${url}\n`);
  } finally {
    await file.close();
  }
}
