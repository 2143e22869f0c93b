// patroni: one leader, two replicas streaming from it on the same timeline with no lag; no
// Debian cluster; the REST API refuses unsafe calls without authentication.
import { PORTS } from '../roles-src/ports.js';
import { assert, command, task, uri } from '../dsl/index.js';
import { secretsVars } from '../playbooks/lib/secrets.js';
import { CA_FILE, TLS_ON } from '../playbooks/lib/tls.js';
import { SUPERUSER_FROM, sitePlays, sitePlaysBefore } from '../playbooks/site.js';
import { standScenario } from './lib/stand.js';

const members = 'patroni_cluster.json.members';
/** This member's REST API, over HTTPS when TLS is on (verified against the CA). */
const rest = (path: string) =>
  `{{ 'https' if ${TLS_ON} else 'http' }}://{{ ansible_host }}:${PORTS.patroniRest}${path}`;
const CA_PATH = `{{ '${CA_FILE}' if ${TLS_ON} else omit }}`;

export default standScenario(
  'patroni',
  'PostgreSQL 15 with Patroni, etcd as DCS',
  sitePlays.patroni,
  [
    {
      name: 'Verify the Patroni cluster',
      hosts: 'pg',
      gather_facts: false,
      tasks: [
        task(
          'Wait for one leader and two streaming replicas',
          uri({ url: rest('/cluster'), ca_path: CA_PATH, return_content: true }),
          {
            register: 'patroni_cluster',
            run_once: true,
            retries: 30,
            delay: 2,
            until: [
              `${members} | selectattr('role', 'equalto', 'leader') | list | length == 1`,
              `${members} | selectattr('role', 'in', ['replica', 'sync_standby']) | selectattr('state', 'in', ['running', 'streaming']) | list | length == 2`,
              `${members} | map(attribute='timeline') | unique | list | length == 1`,
              `${members} | selectattr('role', 'in', ['replica', 'sync_standby']) | map(attribute='lag') | max == 0`,
            ].join(' and '),
          },
        ),
        task('List Debian clusters', command({ cmd: 'pg_lsclusters --no-header' }), {
          register: 'patroni_debian_clusters',
          changed_when: false,
        }),
        task('Check Debian created no cluster of its own', assert({ that: ["patroni_debian_clusters.stdout == ''"] })),
        task(
          'Refuse an unauthenticated restart',
          uri({
            url: rest('/restart'),
            ca_path: CA_PATH,
            method: 'POST',
            body_format: 'json',
            body: {},
            status_code: [401],
          }),
        ),
        task(
          'Read the addresses pg_hba admits',
          // Over the local socket as postgres (peer): no password on a command line or in the environment.
          command({
            argv: [
              'psql',
              '-XAtc',
              "select address from pg_hba_file_rules where address is not null and auth_method <> 'reject'",
            ],
          }),
          { register: 'patroni_hba', changed_when: false, become: true, become_user: 'postgres' },
        ),
        task(
          'Read the addresses pg_hba rejects',
          command({
            argv: [
              'psql',
              '-XAtc',
              "select address from pg_hba_file_rules where address is not null and auth_method = 'reject'",
            ],
          }),
          { register: 'patroni_hba_rejected', changed_when: false, become: true, become_user: 'postgres' },
        ),
        task(
          'Check pg_hba admits only loopback, the stand, the members (replication, pg_rewind) and the superuser addresses',
          assert({
            that: [
              "patroni_hba.stdout_lines | difference(['127.0.0.1', '::1', patroni_allowed_network | split('/') | first] + (groups['pg'] | map('extract', hostvars, 'ansible_host') | list) + (verify_superuser_from | map('regex_replace', '/.*$', '') | list)) | length == 0",
              "'0.0.0.0' in patroni_hba_rejected.stdout_lines",
              "verify_superuser_from | map('regex_replace', '/.*$', '') | intersect(groups['pg'] | map('extract', hostvars, 'ansible_host')) | length == 0",
            ],
          }),
        ),
      ],
      vars: { ...secretsVars, verify_superuser_from: SUPERUSER_FROM },
    },
  ],
  { prepare: sitePlaysBefore('patroni') },
);
