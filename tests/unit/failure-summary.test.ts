// The suite's last lines: each failed stand test with what its message says went wrong.
import { describe, expect, it } from 'vitest';
import { failureSummary, type Report } from '../../tools/failure-summary.js';

const ansibleTail = [
  'AssertionError: TASK [patroni : Wait until the member is ready] ***',
  'ok: [pg01]',
  'fatal: [pg03]: FAILED! => {"attempts": 60, "msg": "Status code was 503"}',
  'PLAY RECAP *****',
  'pg03 : ok=40 changed=3 unreachable=0 failed=1',
  ': expected 2 to be 0 // Object.is equality',
  '    at /work/tests/stand/cluster.test.ts:70:5',
].join('\n');

const report: Report = {
  testResults: [
    {
      name: '/work/tests/stand/cluster.test.ts',
      assertionResults: [
        { fullName: 'the cluster > deploys', status: 'failed', failureMessages: [ansibleTail] },
        { fullName: 'the cluster > serves', status: 'passed' },
      ],
    },
    { name: '/work/tests/stand/faults.test.ts', message: 'Error: Hook timed out in 1200000ms', assertionResults: [] },
  ],
};

describe('the failure summary', () => {
  it('names each failed test and file with the lines that say why, without stack frames or ok lines', () => {
    const s = failureSummary(report, '/work');
    expect(s).toContain('FAILED tests/stand/cluster.test.ts > the cluster > deploys');
    expect(s).toContain('fatal: [pg03]: FAILED! => {"attempts": 60, "msg": "Status code was 503"}');
    expect(s).toContain(': expected 2 to be 0');
    expect(s).toContain('FAILED tests/stand/faults.test.ts (the file itself)');
    expect(s).toContain('Hook timed out in 1200000ms');
    expect(s).not.toContain('ok: [pg01]');
    expect(s).not.toContain('cluster.test.ts:70:5');
    expect(s).not.toContain('serves');
    expect(s.trim().split('\n').pop()).toBe('2 failed (above, each with the telling lines of its message)');
  });

  it('says so when nothing failed', () => {
    expect(failureSummary({ testResults: [] }, '/work')).toBe('no test failed');
  });
});
