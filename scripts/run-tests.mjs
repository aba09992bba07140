// `npm test`: every check, each timed (typecheck and lint beside the end-to-end tests); one summary line at the end.
// Steps keep going after a failure so the count is complete; the exit code is non-zero if anything failed.
// Typecheck and lint count as one case each; vitest and Playwright count their test cases.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const results = 'test-results';
rmSync(`${results}/vitest.json`, { force: true });
rmSync(`${results}/e2e-report.json`, { force: true });
rmSync(`${results}/failed.txt`, { force: true });
rmSync(`${results}/skipped-suites.txt`, { force: true }); // written by testbed/support/suite-skip.ts
mkdirSync(results, { recursive: true });

const tally = { passed: 0, failed: 0, skipped: 0 };
/** Skipped tests, by suite: `file › describe` → count. */
const skippedSuites = new Map();
const noteSkipped = (suite) => skippedSuites.set(suite, (skippedSuites.get(suite) ?? 0) + 1);
const timings = [];
/** Failed tests, by name, with the first line of their error: printed at the end and kept in failed.txt. */
const failures = [];
const firstLine = (text) => stripVTControlCharacters(String(text ?? '')).split('\n').find((l) => l.trim())?.trim().slice(0, 200) ?? '';
function noteVitestFailures(report, project) {
  for (const file of report.testResults ?? []) {
    const path = relative(process.cwd(), file.name);
    const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed) failures.push(`${project}${path} › ${t.fullName ?? t.title}: ${firstLine(t.failureMessages?.[0])}`);
    // A file that failed outside any test (an import error, a hook) has no failed test to name.
    if (failed.length === 0 && file.status === 'failed') failures.push(`${project}${path}: ${firstLine(file.message)}`);
  }
}
/** Every test of a Playwright JSON report, with its file (under e2e/) and its spec. */
function* e2eTests(report) {
  function* walk(suite, file) {
    for (const spec of suite.specs ?? []) for (const test of spec.tests ?? []) yield { file, spec, test };
    for (const child of suite.suites ?? []) yield* walk(child, file);
  }
  for (const suite of report.suites ?? []) yield* walk(suite, `e2e/${suite.file}`);
}
function noteE2eFailures(report, project) {
  for (const { file, spec, test } of e2eTests(report)) {
    if (test.status !== 'unexpected') continue;
    const error = test.results?.at(-1)?.error?.message ?? test.results?.at(-1)?.errors?.[0]?.message;
    failures.push(`${project}${file}:${spec.line} › ${spec.title}: ${firstLine(error)}`);
  }
}

async function run(label, command, args, env = {}) {
  console.log(`\n━━ ${label}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const { status, error } = await exitOf(spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } }));
  timings.push([label, (Date.now() - started) / 1000]);
  if (error) console.error(`${label}: ${error.message}`);
  return status === 0;
}

/** A child's exit status, or the error that kept it from starting. */
function exitOf(child) {
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ status: null, error }));
    child.on('close', (status) => resolve({ status, error: undefined }));
  });
}

/**
 * Starts a step in the background, its output held; `finish()` waits for it, then prints the output
 * under its header (so it does not interleave with the step it ran beside) and its time.
 */
function runBeside(label, command, args) {
  const started = Date.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  const exited = exitOf(child).then((result) => ({ ...result, seconds: (Date.now() - started) / 1000 }));
  return {
    label,
    async finish(besideOf) {
      const { status, error, seconds } = await exited;
      console.log(`\n━━ ${label}: ${[command, ...args].join(' ')} (ran beside ${besideOf})`);
      process.stdout.write(Buffer.concat(output));
      if (error) console.error(`${label}: ${error.message}`);
      timings.push([`${label} (beside ${besideOf})`, seconds]);
      return status === 0;
    },
  };
}

/** A failure that is no test case (a check, a crashed step, a skip under CI), counted and named. */
function failStep(counter, what) {
  counter.failed += 1;
  failures.push(what);
}

function countCheck(label, ok) {
  if (ok) tally.passed += 1;
  else failStep(tally, `${label}: see its output above`);
}

/** A test step that exited non-zero without a failed test (an unhandled error, a crashed worker). */
function exitedWithoutFailedTest(counter, label, ok, failedTests) {
  if (!ok && failedTests === 0) failStep(counter, `${label}: exited with an error but no failed test (see its output above)`);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

// Docker and Chromium, then the test images (built offline from Debian packages; a no-op when current).
const setupOk = (await run('prerequisites', 'bash', ['scripts/setup-host.sh'])) && (await run('test images', 'bash', ['testbed/images/build.sh']));
if (!setupOk) {
  console.error('\nThe prerequisites are missing (see above): nothing else can run.');
  failStep(tally, 'prerequisites: missing (see above); nothing else ran');
} else {
  const vitestOk = await run('unit and integration (vitest)', 'npx', [
    'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${results}/vitest.json`,
  ]);
  const vitest = readJson(`${results}/vitest.json`);
  if (vitest) {
    tally.passed += vitest.numPassedTests;
    tally.failed += vitest.numFailedTests;
    exitedWithoutFailedTest(tally, 'vitest', vitestOk, vitest.numFailedTests);
    tally.skipped += vitest.numPendingTests + vitest.numTodoTests;
    noteVitestFailures(vitest, '');
    for (const file of vitest.testResults ?? []) {
      for (const t of file.assertionResults ?? []) {
        if (['skipped', 'pending', 'todo'].includes(t.status)) noteSkipped([relative(process.cwd(), file.name), t.ancestorTitles?.[0]].filter(Boolean).join(' › '));
      }
    }
  } else {
    failStep(tally, `vitest: no report (${results}/vitest.json): see its output above`);
  }

  // Typecheck and lint run beside the end-to-end tests, which leave about a third of the two cores idle
  // waiting on containers and Mesos timers: the 40 s the two took on their own are saved.
  const checks = [runBeside('typecheck', 'npm', ['run', '--silent', 'typecheck']), runBeside('lint', 'npm', ['run', '--silent', 'lint'])];
  const e2eOk = await run('end-to-end (Playwright + Chromium)', 'npx', ['playwright', 'test'], { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });
  const e2e = existsSync(`${results}/e2e-report.json`) ? readJson(`${results}/e2e-report.json`) : null;
  if (e2e) {
    tally.passed += e2e.stats.expected + e2e.stats.flaky;
    tally.failed += e2e.stats.unexpected;
    exitedWithoutFailedTest(tally, 'Playwright', e2eOk, e2e.stats.unexpected);
    tally.skipped += e2e.stats.skipped;
    noteE2eFailures(e2e, '');
    for (const { file, spec, test } of e2eTests(e2e)) if (test.status === 'skipped') noteSkipped(`${file} › ${spec.title}`);
  } else {
    failStep(tally, `Playwright: no report (${results}/e2e-report.json): see its output above`);
  }
  for (const check of checks) countCheck(check.label, await check.finish('end-to-end'));
}

// ---- The real-Mesos project (testbed/real-mesos/README.md): suites run again with real Apache Mesos
// in place of the emulator, when its image exists; under CI it must exist. Counted in the totals and
// printed on its own.
const REAL_MESOS_IMAGE = 'mesoscope/mesos:1.12.0';
const realMesos = { passed: 0, failed: 0, skipped: 0, ran: false, why: '' };
if (setupOk) {
  const present = spawnSync('docker', ['image', 'inspect', REAL_MESOS_IMAGE], { stdio: 'ignore' }).status === 0;
  if (!present) {
    realMesos.why = `no ${REAL_MESOS_IMAGE} image (MESOS_DIST=<folder holding mesos-*.tar.xz> npm run images builds it)`;
    console.log(`\n━━ real Mesos: did not run: ${realMesos.why}`);
    if (/^(1|true)$/i.test(process.env.CI ?? '')) {
      console.error('real Mesos: required under CI=true: counted as a failure.');
      failStep(realMesos, `real Mesos: did not run: ${realMesos.why}`);
    }
  } else {
    realMesos.ran = true;
    const env = { MESOSCOPE_TEST_MESOS_IMAGE: REAL_MESOS_IMAGE, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', MESOSCOPE_E2E_BUILT: '1' };
    rmSync(`${results}/vitest-real-mesos.json`, { force: true });
    rmSync(`${results}/e2e-real-mesos-report.json`, { force: true });
    const vOk = await run('real Mesos: vitest', 'npx', ['vitest', 'run', '-c', 'vitest.real-mesos.config.ts', '--reporter=default', '--reporter=json', `--outputFile=${results}/vitest-real-mesos.json`], env);
    const v = readJson(`${results}/vitest-real-mesos.json`);
    if (v) {
      realMesos.passed += v.numPassedTests;
      realMesos.failed += v.numFailedTests;
      exitedWithoutFailedTest(realMesos, 'real Mesos: vitest', vOk, v.numFailedTests);
      realMesos.skipped += v.numPendingTests + v.numTodoTests;
      noteVitestFailures(v, 'real Mesos: ');
    } else failStep(realMesos, 'real Mesos: vitest: no report: see its output above');
    const eOk = await run('real Mesos: end-to-end', 'npx', ['playwright', 'test', '-c', 'playwright.real-mesos.config.ts'], env);
    const e = readJson(`${results}/e2e-real-mesos-report.json`);
    if (e) {
      realMesos.passed += e.stats.expected + e.stats.flaky;
      realMesos.failed += e.stats.unexpected;
      exitedWithoutFailedTest(realMesos, 'real Mesos: Playwright', eOk, e.stats.unexpected);
      realMesos.skipped += e.stats.skipped;
      noteE2eFailures(e, 'real Mesos: ');
    } else failStep(realMesos, 'real Mesos: Playwright: no report: see its output above');
  }
  tally.passed += realMesos.passed;
  tally.failed += realMesos.failed;
  tally.skipped += realMesos.skipped;
}
const realMesosLine = realMesos.ran
  ? `real Mesos: ${realMesos.passed} passed, ${realMesos.failed} failed${realMesos.skipped ? `, ${realMesos.skipped} skipped` : ''}`
  : `real Mesos: did not run (${realMesos.why || 'prerequisites missing'})`;

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
    failStep(tally, `skipped under CI: ${[...skippedSuites.keys()].join(', ')}`);
  }
}

writeFileSync(`${results}/failed.txt`, failures.map((f) => `${f}\n`).join(''));
if (failures.length > 0) {
  console.log(`\n━━ failed: ${failures.length}`);
  for (const f of failures) console.log(`  ${f}`);
}

console.log('\n━━ time by step');
for (const [label, seconds] of timings) console.log(`  ${label.padEnd(40)} ${seconds.toFixed(1).padStart(7)} s`);
const summary = `${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ''}`;
writeFileSync(`${results}/summary.txt`, `${realMesosLine}\n${summary}\n`);
console.log(`\n${realMesosLine}\n${summary}`);
process.exit(tally.failed === 0 ? 0 : 1);
