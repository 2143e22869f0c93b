// The compiler's command line: `npm run build` (and `npm run lint` for ansible-lint + syntax checks).
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { emitSources } from './emit-sources.js';
import { ensureProjectFolder } from './project-folder.js';
import { BuildError, TypeScriptError } from './errors.js';
import { PROJECT_ROOT } from '../lib/python-env.js';

const program = new Command('pgha').description('Compile the TypeScript roles and playbooks to Ansible YAML');

/** npm runs scripts from the project root; a relative path is meant from where the user typed it. */
const userPath = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);

function announce(root: string, added: readonly string[]): void {
  if (added.length)
    process.stderr.write(
      `${root} is a project of its own now: added ${added.join(' and ')} (the DSL its role sources import, the build's TypeScript settings)\n`,
    );
}

program
  .command('build')
  .description('type-check roles-src/ and playbooks/, then write out/')
  .option('--root <dir>', 'project root holding the sources', PROJECT_ROOT)
  .option('--out <dir>', 'output folder (default: <root>/out)')
  .option('--timings', 'print the time each stage took')
  .action(async (opts: { root: string; out?: string; timings?: boolean }) => {
    const root = userPath(opts.root);
    const outDir = opts.out ? userPath(opts.out) : path.join(root, 'out');
    announce(root, ensureProjectFolder(root));
    const t0 = performance.now();
    // The type check starts first: it is the longest stage, and the rest of the compiler loads
    // and runs beside it.
    const emitted = emitSources(root, path.join(root, '.build', 'js'));
    const { build } = await import('./build.js');
    const r = await build({ root, outDir, emitted });
    if (opts.timings)
      process.stderr.write(
        `${Object.entries(r.timings)
          .map(([k, v]) => `${k}: ${v} ms`)
          .join(', ')}\n`,
      );
    process.stderr.write(
      `built ${r.files} files (${r.roles.length} roles, ${r.playbooks.length} playbooks) into ${path.relative(process.cwd(), outDir) || outDir} in ${Math.round(performance.now() - t0)} ms\n`,
    );
    if (r.plaintextInventories.length)
      process.stderr.write(
        `TLS is off (pgha_tls: false) in ${r.plaintextInventories.map((n) => `out/inventory/${n}.yml`).join(', ')}: etcd, the Patroni REST API and PostgreSQL travel in plaintext there\n`,
      );
  });

program
  .command('lint')
  .description('ansible-lint (production profile) on out/ and --syntax-check on every playbook')
  .option('--out <dir>', 'output folder', path.join(PROJECT_ROOT, 'out'))
  .action(async (opts: { out: string }) => {
    const { lintOut } = await import('./lint.js'); // execa is only needed here
    await lintOut(path.resolve(opts.out));
  });

program
  .command('import')
  .description('write roles-src/<name>/role.ts from a role folder, or playbooks/<name>.ts from a playbook file')
  .argument('<path>', 'path to the role folder or the playbook (.yml)')
  .option('--name <name>', 'name in this project (default: from the folder or file name)')
  .option('--force', 'replace an existing source of that name')
  .option('--root <dir>', 'project root holding roles-src/, playbooks/ and dsl/', PROJECT_ROOT)
  .option(
    '--collection <namespace.name>',
    'the collection the role belongs to (default: read from the collection around the folder)',
  )
  .option('--no-generate', 'keep modules dsl/modules/ lacks as untypedModule calls instead of generating their types')
  .action(
    async (
      given: string,
      opts: { name?: string; collection?: string; force?: boolean; generate: boolean; root: string },
    ) => {
      const from = userPath(given);
      opts.root = userPath(opts.root);
      announce(opts.root, ensureProjectFolder(opts.root));
      const isPlaybook = /\.ya?ml$/.test(from) && fs.existsSync(from) && fs.statSync(from).isFile();
      // prettier (and the importer) load only here
      const r = isPlaybook
        ? await (await import('./import/import-playbook.js')).importPlaybookFile(from, opts)
        : await (await import('./import/import-role.js')).importRole(from, opts);
      const s = r.summary;
      const where = 'dir' in r ? r.dir : r.file;
      process.stderr.write(
        `imported ${r.name} into ${path.relative(process.cwd(), where)} in ${String(r.milliseconds)} ms: ${String(s.typed)} module calls typed, ${String(s.untyped)} kept untyped\n`,
      );
      if (r.generated.length)
        process.stderr.write(
          `  typed modules added to dsl/modules/ (npm run gen:modules): ${r.generated.join(', ')}\n`,
        );
      for (const n of s.notes) process.stderr.write(`  ${n}\n`);
    },
  );

program.parseAsync().catch((e: unknown) => {
  if (e instanceof TypeScriptError)
    process.stderr.write(`${e.message}\nbuild failed: TypeScript errors; out/ was not changed\n`);
  else if (e instanceof BuildError)
    process.stderr.write(`${e.message}\nbuild failed: ${e.problems.length} problem(s); out/ was not changed\n`);
  else process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
