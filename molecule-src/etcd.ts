// etcd: three healthy members, and the cluster keeps quorum with one member stopped.
import { assert, block, command, systemd_service, task } from '../dsl/index.js';
import { sitePlays, sitePlaysBefore } from '../playbooks/site.js';
import { standScenario } from './lib/stand.js';

// etcdctl as root administers the cluster: the etcd role's pgha-etcdctl (this member's client
// URL, its certificate with TLS, etcd's root user once authentication is on).
const etcdctl = (args: string) => `/usr/local/sbin/pgha-etcdctl ${args}`;

export default standScenario(
  'etcd',
  'Three-member etcd cluster on the etcd group (pg01-03)',
  sitePlays.etcd,
  [
    {
      name: 'Verify the etcd cluster',
      hosts: 'etcd',
      gather_facts: false,
      tasks: [
        task('List the members', command({ cmd: etcdctl('member list') }), {
          register: 'etcd_members',
          changed_when: false,
          run_once: true,
        }),
        task('Check health of every member', command({ cmd: etcdctl('endpoint health --cluster') }), {
          register: 'etcd_health',
          changed_when: false,
          run_once: true,
        }),
        task(
          'Check three started, healthy members',
          assert({
            that: [
              "etcd_members.stdout_lines | select('search', ', started, ') | list | length == 3",
              "(etcd_health.stdout_lines + etcd_health.stderr_lines) | select('search', 'is healthy') | list | length == 3",
            ],
          }),
          { run_once: true },
        ),
        block(
          'Keep quorum with one member stopped',
          [
            task('Stop the last member', systemd_service({ name: 'etcd', state: 'stopped' }), {
              when: "inventory_hostname == groups['etcd'][-1]",
            }),
            task('Write through the first member', command({ cmd: etcdctl('put pgha/quorum-check ok') }), {
              when: "inventory_hostname == groups['etcd'][0]",
              changed_when: false,
              register: 'etcd_put',
              retries: 5,
              delay: 2,
              until: 'etcd_put.rc == 0',
            }),
            task(
              'Read it back through the second member',
              command({ cmd: etcdctl('get --print-value-only pgha/quorum-check') }),
              {
                when: "inventory_hostname == groups['etcd'][1]",
                changed_when: false,
                register: 'etcd_get',
                failed_when: "etcd_get.stdout != 'ok'",
              },
            ),
          ],
          {
            always: [
              task('Start the last member again', systemd_service({ name: 'etcd', state: 'started' }), {
                when: "inventory_hostname == groups['etcd'][-1]",
              }),
            ],
          },
        ),
      ],
    },
  ],
  { prepare: sitePlaysBefore('etcd') },
);
