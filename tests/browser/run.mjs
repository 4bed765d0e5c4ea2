// run.mjs - run one browser test file with node:test and print cmocka-style summary lines,
// so that script/test counts browser tests one by one like every other suite.
//   node tests/browser/run.mjs tests/browser/portal.test.mjs
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import process from 'node:process';

const files = process.argv.slice(2);
let passed = 0, failed = 0, skipped = 0;
const failures = [];
const stream = run({ files, concurrency: 1, timeout: 180000 });
stream.on('test:pass', (e) => {
  if (e.details?.type === 'suite') return;
  if (e.skip || e.todo) skipped++; else passed++;
});
stream.on('test:fail', (e) => {
  if (e.details?.type === 'suite') return;
  failed++;
  failures.push(e.name);
});
stream.compose(spec).pipe(process.stdout);
stream.on('end', () => {
  process.stdout.write(`[==========] ${passed + failed + skipped} test(s) run.\n`);
  process.stdout.write(`[  PASSED  ] ${passed} test(s).\n`);
  if (skipped) process.stdout.write(`[  SKIPPED ] ${skipped} test(s), listed below:\n`);
  if (failed) {
    process.stdout.write(`[  FAILED  ] ${failed} test(s), listed below:\n`);
    for (const f of failures) process.stdout.write(`[  FAILED  ] ${f}\n`);
  }
  process.exitCode = failed ? 1 : 0;
});
