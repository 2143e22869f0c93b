// What pg_settings says about a parameter, the units PostgreSQL accepts, and the parameters that
// Patroni sets itself. The generated settings.generated.ts is data of this shape.

export type PgContext = 'internal' | 'postmaster' | 'sighup' | 'superuser-backend' | 'backend' | 'superuser' | 'user';

export interface PgSettingSpec {
  type: 'bool' | 'integer' | 'real' | 'string' | 'enum';
  context: PgContext;
  /** pg_settings.unit: a memory unit ('B', 'kB', '8kB', 'MB') or a time unit ('us', 'ms', 's', 'min'). */
  unit?: string;
  min?: number;
  max?: number;
  values?: readonly string[];
  description: string;
}

/** Units PostgreSQL accepts in a value, with their size in bytes or microseconds. */
export const MEMORY_UNITS = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 } as const;
export const TIME_UNITS = { us: 1, ms: 1000, s: 1e6, min: 60e6, h: 3600e6, d: 86400e6 } as const;
export type MemoryUnit = keyof typeof MEMORY_UNITS;
export type TimeUnit = keyof typeof TIME_UNITS;

/** Parameters Patroni sets from its own configuration; a value for them would be ignored or fight it. */
export const PATRONI_OWNED = {
  listen_addresses: 'Patroni sets it from postgresql.listen',
  port: 'Patroni sets it from postgresql.listen',
  cluster_name: 'Patroni sets it to the cluster scope',
  hot_standby: 'Patroni keeps it on so replicas serve reads',
  hba_file: 'Patroni writes pg_hba.conf from postgresql.pg_hba',
  ident_file: 'Patroni writes pg_ident.conf from postgresql.pg_ident',
  config_file: 'Patroni writes postgresql.conf itself',
  data_directory: 'Patroni sets it from postgresql.data_dir',
  primary_conninfo: 'Patroni points each replica at its leader',
  primary_slot_name: 'Patroni manages replication slots (use_slots)',
  recovery_target_timeline: 'Patroni manages recovery',
  promote_trigger_file: 'Patroni promotes through pg_ctl',
  restore_command: "set it in Patroni's postgresql.recovery_conf",
  archive_cleanup_command: "set it in Patroni's postgresql.recovery_conf",
  recovery_end_command: "set it in Patroni's postgresql.recovery_conf",
  recovery_min_apply_delay: "set it in Patroni's postgresql.recovery_conf",
} as const satisfies Record<string, string>;

/** Is a unit of pg_settings a memory unit ('8kB', '16MB', 'B')? */
export const isMemoryUnit = (unit: string) => /^\d*(B|kB|MB|GB|TB)$/.test(unit);

/** Size of a pg_settings unit ('8kB' -> 8192 bytes, 'min' -> 60e6 us). */
export function unitSize(unit: string): number {
  const m = /^(\d*)(\w+)$/.exec(unit);
  const base = m?.[2] as string;
  const factor = Number(m?.[1] || 1);
  const size = (MEMORY_UNITS as Record<string, number>)[base] ?? (TIME_UNITS as Record<string, number>)[base];
  if (size === undefined) throw new Error(`unknown pg_settings unit '${unit}'`);
  return factor * size;
}
