// The cluster's PostgreSQL parameters: the one typed source. The patroni role bootstraps the
// cluster from it and the config playbook applies it to a running cluster (npm run build, then
// ansible-playbook out/config.yml). Names, types, units, bounds and enum values are checked
// against pg_settings of PostgreSQL 15 (dsl/postgres/settings.generated.ts).
import { pgParameters } from '../../dsl/index.js';

export default pgParameters({
  max_connections: 100,
  shared_buffers: '128MB',
  work_mem: '4MB',
  maintenance_work_mem: '64MB',
  wal_level: 'replica',
  wal_log_hints: 'on',
  max_wal_senders: 10,
  max_replication_slots: 10,
  wal_keep_size: '128MB',
  password_encryption: 'scram-sha-256',
});
