// Prints the failed tests of a vitest JSON report (`--outputFile.json`), each with the telling
// lines of its message, so that the end of a long suite's output says what failed and why: a log
// read from its tail (CI's) otherwise shows only the last failure's code frame.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

interface Assertion {
  fullName: string;
  status: string;
  failureMessages?: string[];
}
export interface Report {
  testResults: { name: string; message?: string; assertionResults: Assertion[] }[];
}

// A failure's message often ends with a command's output tail: its error lines are what tell.
const MESSAGE_LINES = 15;
const LINE_CHARS = 400;
const TELLING = /fatal|failed|error|expected|msg|refused|timed? ?out|unreachable/i;

/** Each failed test (and each file that failed to run) with the telling lines of its message. */
export function failureSummary(report: Report, root: string): string {
  const out: string[] = [];
  for (const suite of report.testResults) {
    const where = suite.name.replace(`${root}/`, '');
    if (suite.message) out.push(`FAILED ${where} (the file itself)\n${tellingLines(suite.message)}\n`);
    for (const t of suite.assertionResults.filter((a) => a.status === 'failed'))
      out.push(`FAILED ${where} > ${t.fullName}\n${tellingLines((t.failureMessages ?? []).join('\n'))}\n`);
  }
  out.push(out.length ? `${out.length} failed (above, each with the telling lines of its message)` : 'no test failed');
  return out.join('\n');
}

function tellingLines(text: string): string {
  const lines = text
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((l) => l.trim() && !/^\s+at /.test(l));
  const telling = [lines[0] ?? '', ...lines.slice(1).filter((l) => TELLING.test(l))];
  const shown = telling
    .slice(-MESSAGE_LINES)
    .map((l) => `    ${l.length > LINE_CHARS ? `${l.slice(0, LINE_CHARS)}...` : l}`);
  if (telling.length > MESSAGE_LINES) shown.unshift(`    (${telling.length - MESSAGE_LINES} earlier lines left out)`);
  return shown.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file || !fs.existsSync(file)) console.log(`failure summary: no report at ${file ?? '(no path given)'}`);
  else console.log(failureSummary(JSON.parse(fs.readFileSync(file, 'utf8')) as Report, process.cwd()));
}
