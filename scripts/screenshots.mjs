// `npm run screenshots`: refreshes the README's pictures on purpose. The e2e tests write their screenshots to
// test-results/screenshots/ (tests never change tracked files); this runs them (all, or the Playwright
// arguments given, e.g. `npm run screenshots -- e2e/logs.spec.ts`) and copies every fresh picture over
// docs/screenshots/. `--no-run` copies what the last e2e run left.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fresh = join(root, 'test-results', 'screenshots');
const docs = join(root, 'docs', 'screenshots');
const args = process.argv.slice(2);

if (!args.includes('--no-run')) {
  const { status } = spawnSync('npx', ['playwright', 'test', ...args], { cwd: root, stdio: 'inherit' });
  if (status !== 0) {
    console.error('screenshots: the e2e run failed; docs/screenshots/ left as it was (`--no-run` copies anyway).');
    process.exit(status ?? 1);
  }
}
if (!existsSync(fresh)) {
  console.error(`screenshots: nothing in ${fresh}: run the e2e tests first.`);
  process.exit(1);
}
mkdirSync(docs, { recursive: true });
let changed = 0;
const pictures = readdirSync(fresh).filter((f) => f.endsWith('.png'));
for (const name of pictures) {
  const target = join(docs, name);
  if (existsSync(target) && readFileSync(target).equals(readFileSync(join(fresh, name)))) continue;
  copyFileSync(join(fresh, name), target);
  changed += 1;
  console.log(`  docs/screenshots/${name}`);
}
console.log(`screenshots: ${changed} of ${pictures.length} changed in docs/screenshots/ (review them with git diff before committing).`);
