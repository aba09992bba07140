// `npm test`: every check, in order, each timed; one summary line at the end.
// Steps keep going after a failure so the count is complete; the exit code is non-zero if anything failed.
// Typecheck and lint count as one case each; vitest and Playwright count their test cases.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const results = 'test-results';
rmSync(`${results}/vitest.json`, { force: true });
rmSync(`${results}/e2e-report.json`, { force: true });
rmSync(`${results}/skipped-suites.txt`, { force: true }); // written by testbed/support/suite-skip.ts
mkdirSync(results, { recursive: true });

const tally = { passed: 0, failed: 0, skipped: 0 };
/** Skipped tests, by suite: `file › describe` → count. */
const skippedSuites = new Map();
const noteSkipped = (suite) => skippedSuites.set(suite, (skippedSuites.get(suite) ?? 0) + 1);
const timings = [];

function run(label, command, args, env = {}) {
  console.log(`\n━━ ${label}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const { status, error } = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = (Date.now() - started) / 1000;
  timings.push([label, seconds]);
  if (error) console.error(`${label}: ${error.message}`);
  return status === 0;
}

function countCheck(ok) {
  if (ok) tally.passed += 1;
  else tally.failed += 1;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

// Docker and Chromium, then the test images (built offline from Debian packages; a no-op when current).
const setupOk = run('prerequisites', 'bash', ['scripts/setup-host.sh']) && run('test images', 'bash', ['testbed/images/build.sh']);
if (!setupOk) {
  console.error('\nThe prerequisites are missing (see above): nothing else can run.');
  tally.failed += 1;
} else {
  countCheck(run('typecheck', 'npm', ['run', '--silent', 'typecheck']));
  countCheck(run('lint', 'npm', ['run', '--silent', 'lint']));

  const vitestOk = run('unit and integration (vitest)', 'npx', [
    'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${results}/vitest.json`,
  ]);
  const vitest = readJson(`${results}/vitest.json`);
  if (vitest) {
    tally.passed += vitest.numPassedTests;
    tally.failed += vitest.numFailedTests + (vitestOk || vitest.numFailedTests > 0 ? 0 : 1);
    tally.skipped += vitest.numPendingTests + vitest.numTodoTests;
    for (const file of vitest.testResults ?? []) {
      for (const t of file.assertionResults ?? []) {
        if (['skipped', 'pending', 'todo'].includes(t.status)) noteSkipped([relative(process.cwd(), file.name), t.ancestorTitles?.[0]].filter(Boolean).join(' › '));
      }
    }
  } else {
    tally.failed += 1;
  }

  const e2eOk = run('end-to-end (Playwright + Chromium)', 'npx', ['playwright', 'test'], { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });
  const e2e = existsSync(`${results}/e2e-report.json`) ? readJson(`${results}/e2e-report.json`) : null;
  if (e2e) {
    tally.passed += e2e.stats.expected + e2e.stats.flaky;
    tally.failed += e2e.stats.unexpected + (e2eOk || e2e.stats.unexpected > 0 ? 0 : 1);
    tally.skipped += e2e.stats.skipped;
    const walk = (suite, file) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) if (t.status === 'skipped') noteSkipped(`${file ?? suite.file} › ${spec.title}`);
      }
      for (const child of suite.suites ?? []) walk(child, file ?? suite.file);
    };
    for (const suite of e2e.suites ?? []) walk(suite, `e2e/${suite.file}`);
  } else {
    tally.failed += 1;
  }
}

// No silent skip: name every skipped suite and why (the reasons suites gave, testbed/support/suite-skip.ts).
// Under CI the equipment is all there, so any skip is unexpected and fails the run.
if (tally.skipped > 0) {
  console.log(`\n━━ skipped: ${tally.skipped} test(s) in ${skippedSuites.size} suite(s)`);
  for (const [suite, count] of skippedSuites) console.log(`  ${suite} (${count})`);
  if (existsSync(`${results}/skipped-suites.txt`)) {
    console.log('  why:');
    for (const reason of new Set(readFileSync(`${results}/skipped-suites.txt`, 'utf8').split('\n').filter(Boolean))) console.log(`    ${reason}`);
  }
  if (process.env.CI) {
    console.log('  CI=true: a skip is a failure here (every suite must run).');
    tally.failed += 1;
  }
}

console.log('\n━━ time by step');
for (const [label, seconds] of timings) console.log(`  ${label.padEnd(40)} ${seconds.toFixed(1).padStart(7)} s`);
const summary = `${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ''}`;
writeFileSync(`${results}/summary.txt`, `${summary}\n`);
console.log(`\n${summary}`);
process.exit(tally.failed === 0 ? 0 : 1);
