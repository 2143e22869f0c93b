// etcd: a three-member etcd v3 cluster on the PostgreSQL hosts, the DCS Patroni relies on.
// Debian starts a single-node etcd on install; the cluster uses a data folder of its own so
// that throwaway member never joins it.
import { apt, command, defineRole, flushHandlers, handler, int, str, systemd_service, task, template } from '../../dsl/index.js';
export default defineRole({
    name: 'etcd',
    description: 'etcd v3 cluster (one member per host of the play) listening on the private addresses',
    vars: {
        etcd_cluster_name: str({ default: 'pgha', description: 'Cluster token and data folder name' }),
        etcd_group: str({ default: 'pg', description: 'Inventory group whose hosts are the members' }),
        etcd_client_port: int({ default: 2379, description: 'Client port' }),
        etcd_peer_port: int({ default: 2380, description: 'Peer port' }),
        etcd_heartbeat_interval: int({ default: 100, description: 'Heartbeat interval, ms' }),
        etcd_election_timeout: int({ default: 1000, description: 'Election timeout, ms' }),
    },
    handlers: () => [
        handler('Restart etcd', systemd_service({ name: 'etcd', state: 'restarted', daemon_reload: true })),
    ],
    tasks: () => [
        task('Install etcd', apt({ name: ['etcd-server', 'etcd-client'], state: 'present', update_cache: true, cache_valid_time: 3600 })),
        task('Configure the etcd member', template({ src: 'etcd.default.j2', dest: '/etc/default/etcd', owner: 'root', group: 'root', mode: '0644' }), {
            notify: ['Restart etcd'],
        }),
        task('Enable etcd', systemd_service({ name: 'etcd', enabled: true })),
        // Members must start together to form the cluster: restart now, on every member at once.
        flushHandlers(),
        task('Wait until every member is healthy', command({ cmd: 'etcdctl --endpoints={{ ansible_host }}:{{ etcd_client_port }} endpoint health --cluster' }), {
            register: 'etcd_health', until: "etcd_health.rc == 0 and (etcd_health.stdout_lines + etcd_health.stderr_lines) | select('search', 'is healthy') | list | length == groups[etcd_group] | length",
            retries: 30, delay: 2, changed_when: false, environment: { ETCDCTL_API: '3' },
        }),
    ],
});
