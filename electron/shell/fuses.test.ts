import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * Issue 15 #8: the packaged app set no Electron fuses, so ELECTRON_RUN_AS_NODE, NODE_OPTIONS or
 * --inspect turned it into a Node runtime running anyone's code, and a changed app.asar was loaded.
 * electron-builder flips the fuses from `electronFuses` when it packages (afterPack); the binary
 * cannot be downloaded here, so this checks the configuration against electron-builder's own schema.
 */
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as { electronFuses?: Record<string, boolean> };
const schema = createRequire(import.meta.url)('app-builder-lib/scheme.json') as {
  properties: Record<string, { anyOf?: Array<{ $ref?: string }> }>;
  definitions: Record<string, { properties?: Record<string, unknown> }>;
};

describe('Electron fuses of the packaged app', () => {
  it('turn off run-as-node, NODE_OPTIONS and the inspect flags; the asar is checked and the only app loaded', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('name only fuses electron-builder knows (a typo would be ignored silently)', () => {
    const ref = schema.properties.electronFuses?.anyOf?.find((a) => a.$ref)?.$ref?.split('/').pop();
    const known = Object.keys(schema.definitions[ref ?? '']?.properties ?? {});
    expect(known).toContain('runAsNode');
    for (const fuse of Object.keys(config.electronFuses ?? {})) expect(known, fuse).toContain(fuse);
  });
});
