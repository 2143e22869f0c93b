// An Ansible inventory: groups of hosts with host and group variables.

export interface Inventory {
  readonly kind: 'inventory';
  /** Output file: out/inventory/<name>.yml */
  readonly name: string;
  /** The hosts' network (IPv4 CIDR): every `ansible_host` must lie in it (checked at build time). */
  readonly network?: string;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly groups: Readonly<
    Record<
      string,
      { hosts: Readonly<Record<string, Readonly<Record<string, unknown>>>>; vars?: Readonly<Record<string, unknown>> }
    >
  >;
}

export function inventory(name: string, def: Omit<Inventory, 'kind' | 'name'>): Inventory {
  return { kind: 'inventory', name, ...def };
}
