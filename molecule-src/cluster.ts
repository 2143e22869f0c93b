// cluster: the whole site, its idempotence, the replication check and HAProxy routing.
import replicationCheck from '../playbooks/replication-check.js';
import site from '../playbooks/site.js';
import { standScenario } from './lib/stand.js';

export default standScenario('cluster', 'The whole PostgreSQL HA cluster', site.plays, replicationCheck.plays);
