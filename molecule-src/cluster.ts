// cluster: the whole site, verified by the replication check and every database host's HAProxy
// routing (the read-write port reaches the leader, the read-only port a replica, the stats page
// wants its password). HAProxy has no scenario of its own: it needs the whole site anyway. No idempotence
// step: the stand tier's cluster test already runs site.yml twice and asserts changed=0, and
// this saves the suite a full site run.
import { HAPROXY_STATS_USER, PORTS } from '../roles-src/ports.js';
import { postgresql_query, task, uri } from '../dsl/index.js';
import { pgLogin, RO_PORT, RW_PORT } from '../playbooks/lib/connection.js';
import { secretsVars } from '../playbooks/lib/secrets.js';
import replicationCheck from '../playbooks/replication-check.js';
import site from '../playbooks/site.js';
import { SHARED, standScenario } from './lib/stand.js';

const recovery = (port: number) =>
  postgresql_query({
    ...pgLogin,
    login_host: '127.0.0.1',
    login_port: port,
    login_db: 'postgres',
    query: 'SELECT pg_is_in_recovery() AS in_recovery',
  });

export default standScenario(
  'cluster',
  'The whole PostgreSQL HA cluster',
  site.plays,
  [
    ...replicationCheck.plays,
    {
      name: "Verify each database host's HAProxy routing",
      hosts: 'pg',
      gather_facts: false,
      vars: secretsVars,
      tasks: [
        task('Reach the leader on the read-write port', recovery(RW_PORT), {
          register: 'haproxy_rw',
          changed_when: false,
          retries: 10,
          delay: 2,
          until: 'haproxy_rw is succeeded and not haproxy_rw.query_result[0].in_recovery',
        }),
        task('Reach a replica on the read-only port', recovery(RO_PORT), {
          register: 'haproxy_ro',
          changed_when: false,
          retries: 10,
          delay: 2,
          until: 'haproxy_ro is succeeded and haproxy_ro.query_result[0].in_recovery',
        }),
        task(
          'Refuse the stats page without a password',
          uri({ url: `http://127.0.0.1:${PORTS.stats}/`, status_code: [401] }),
        ),
        task(
          'Show the stats page with the password',
          uri({
            url: `http://127.0.0.1:${PORTS.stats}/;csv`,
            url_username: HAPROXY_STATS_USER,
            url_password: '{{ pgha_haproxy_stats_password }}',
            force_basic_auth: true,
            status_code: [200],
          }),
        ),
      ],
    },
  ],
  { sequence: SHARED.filter((step) => step !== 'idempotence') },
);
