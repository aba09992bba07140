#!/usr/bin/env node
// The `mesoscope` command. The CLI is built with the main process (npm run build:main, run by
// `npm install` through the prepare script).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'electron', 'cli.cjs');
if (!existsSync(cli)) {
  console.error('mesoscope: the CLI is not built yet; run `npm run build:main` in the Mesoscope folder.');
  process.exit(2);
}
require(cli);
