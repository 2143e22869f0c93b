// site: deploys the whole stand, in dependency order.
import { playbook } from '../dsl/index.js';
import ntp from '../roles-src/ntp/role.js';
export default playbook('site', 'Deploy the stand: time, names, etcd, PostgreSQL with Patroni, HAProxy', [
    { name: 'Time server', hosts: 'infra', become: true, roles: [ntp.use({ ntp_mode: 'server' })] },
    { name: 'Time clients', hosts: 'pg', become: true, roles: [ntp.use({ ntp_mode: 'client' })] },
]);
