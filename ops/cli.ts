// Tools for any cluster the playbooks deploy, the stand's or the user's own servers:
// npm run secrets, npm run ops -- play NAME -i INVENTORY, npm run plan.
import { Command } from 'commander';
import { runPlaybook } from './play.js';
import { makePlan, planText } from './plan.js';
import { ensureSecrets, secretsPath } from './secrets.js';

const program = new Command('ops').description('Tools for a cluster deployed from out/, on any inventory');

program
  .command('secrets')
  .description(
    'write the secrets file (PGHA_SECRETS_FILE or .secrets/cluster.yml), adding missing passwords and keeping the others',
  )
  .action(() => {
    ensureSecrets();
    console.log(secretsPath());
  });
program
  .command('play')
  .description("run an emitted playbook (out/NAME.yml); the inventory is -i's, else ansible.cfg's")
  .argument('<name>', 'playbook name, e.g. site')
  .argument('[ansibleArgs...]', 'ansible-playbook arguments, e.g. -i out/inventory/prod.yml --limit pg02')
  .allowUnknownOption()
  .action((name: string, ansibleArgs: string[]) => runPlaybook(name, ansibleArgs));

program
  .command('plan')
  .description(
    'what a playbook would change, per host (check mode with diffs): changes, what check mode cannot know, failures',
  )
  .argument('[playbook]', 'playbook name (out/NAME.yml)', 'site')
  .option('--inventory <name>', "an inventory of out/inventory (name or path); default: ansible.cfg's")
  .option('--limit <pattern>', 'hosts to plan for')
  .option('--json', 'print the plan as JSON')
  .option('--expect-no-changes', 'exit 1 when anything would change (drift detection)')
  .action(
    async (playbook: string, o: { inventory?: string; limit?: string; json?: boolean; expectNoChanges?: boolean }) => {
      const inventory =
        o.inventory && !o.inventory.includes('/') && !o.inventory.endsWith('.yml')
          ? `out/inventory/${o.inventory}.yml`
          : o.inventory;
      const plan = await makePlan({
        playbook,
        ...(inventory ? { inventory } : {}),
        ...(o.limit ? { limit: o.limit } : {}),
      });
      console.log(o.json ? JSON.stringify(plan, null, 2) : planText(plan));
      const hosts = Object.values(plan);
      if (hosts.some((h) => h.failed.length || h.unreachable)) process.exitCode = 2;
      else if (o.expectNoChanges && hosts.some((h) => h.changes.length || h.handlers.length)) process.exitCode = 1;
    },
  );

program.parseAsync().catch((e: unknown) => {
  process.stderr.write(`ops: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
