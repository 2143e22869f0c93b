// npm run bench:ha [scenario...] [--async]: every fault scenario in one go on the deployed
// stand; prints the table and writes report.md, one SVG timeline per scenario and the raw
// results into a git-ignored folder. A benchmark: it reports figures and never fails on them.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/python-env.js';
import { ensureSecrets } from '../../ops/secrets.js';
import { patchDynamicConfig, readDynamicConfig } from './cluster-view.js';
import { markdownTable, timelineSvg } from './report.js';
import { runScenario, waitHealed, type ScenarioResult } from './run-scenario.js';
import { SCENARIOS, scenarioNamed } from './scenarios.js';

export async function benchHa(names: readonly string[], opts: { async?: boolean; out?: string }): Promise<void> {
  const scenarios = names.length ? names.map(scenarioNamed) : SCENARIOS;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.resolve(opts.out ?? path.join(PROJECT_ROOT, 'bench-results', `ha-${stamp}`));
  fs.mkdirSync(dir, { recursive: true });
  const password = ensureSecrets().pgha_rest_api_password;
  const initial = await readDynamicConfig();
  if (!initial) throw new Error('no Patroni answers: deploy the cluster first (npm run main)');
  const wantSync = !opts.async;
  const mode = wantSync ? 'synchronous (Patroni synchronous_mode)' : 'asynchronous';
  if (Boolean(initial.synchronous_mode) !== wantSync)
    await patchDynamicConfig(password, { synchronous_mode: wantSync });
  const results: ScenarioResult[] = [];
  try {
    for (const s of scenarios) {
      const r = await runScenario(s, (l) => process.stderr.write(`[bench:ha] ${l}\n`));
      results.push(r);
      fs.writeFileSync(path.join(dir, `${s.name}.svg`), timelineSvg(r));
    }
  } finally {
    if (Boolean(initial.synchronous_mode) !== wantSync) {
      await waitHealed(120).catch(() => undefined);
      await patchDynamicConfig(password, { synchronous_mode: Boolean(initial.synchronous_mode) });
    }
    const table = markdownTable(results, mode);
    const pictures = results.map((r) => `### ${r.name}\n\n![${r.name}](${r.name}.svg)\n`).join('\n');
    fs.writeFileSync(
      path.join(dir, 'report.md'),
      `# HA benchmark, ${new Date().toISOString()}\n\n${table}\n\n${pictures}`,
    );
    fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(results, null, 1));
    console.log(table);
    console.log(`\nreport: ${path.relative(process.cwd(), path.join(dir, 'report.md'))}`);
  }
}
