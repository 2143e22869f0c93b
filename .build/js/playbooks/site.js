// site: deploys the whole stand onto fresh hosts, in dependency order.
import { playbook } from '../dsl/index.js';
import dns from '../roles-src/dns/role.js';
import etcd from '../roles-src/etcd/role.js';
import haproxy from '../roles-src/haproxy/role.js';
import ntp from '../roles-src/ntp/role.js';
import patroni from '../roles-src/patroni/role.js';
import { secretsFile } from './lib/secrets.js';
export default playbook('site', 'Deploy the stand: time, names, etcd, PostgreSQL with Patroni, HAProxy', [
    { name: 'Time and names: server', hosts: 'infra', become: true, any_errors_fatal: true,
        roles: [ntp.use({ ntp_mode: 'server' }), dns.use({ dns_mode: 'server' })] },
    { name: 'Time and names: clients', hosts: 'pg', become: true, any_errors_fatal: true,
        roles: [ntp.use({ ntp_mode: 'client' }), dns.use({ dns_mode: 'client' })] },
    { name: 'The etcd cluster', hosts: 'pg', become: true, any_errors_fatal: true, roles: [etcd.use()] },
    { name: 'PostgreSQL with Patroni', hosts: 'pg', become: true, any_errors_fatal: true, vars_files: [secretsFile],
        roles: [patroni.use({
                patroni_superuser_password: '{{ pgha_superuser_password }}',
                patroni_replication_password: '{{ pgha_replication_password }}',
                patroni_rest_api_password: '{{ pgha_rest_api_password }}',
            })] },
    { name: 'HAProxy entry point', hosts: 'infra', become: true, any_errors_fatal: true, vars_files: [secretsFile],
        roles: [haproxy.use({ haproxy_stats_password: '{{ pgha_haproxy_stats_password }}' })] },
]);
