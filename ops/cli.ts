// Tools for any cluster the playbooks deploy, the stand's or the user's own servers:
// npm run secrets, npm run ops -- play NAME -i INVENTORY.
import { Command } from 'commander';
import { runPlaybook } from './play.js';
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

program.parseAsync().catch((e: unknown) => {
  process.stderr.write(`ops: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
