// Renders an inventory to Ansible's YAML inventory format.
import { tlsOn, type Inventory } from '../../dsl/inventory.js';
import { plain } from '../values.js';

export function renderInventory(inv: Inventory): unknown {
  return {
    all: {
      vars: plain(inv.vars),
      children: Object.fromEntries(
        Object.entries(inv.groups).map(([g, def]) => [
          g,
          {
            ...(def.hosts ? { hosts: plain(def.hosts) } : {}),
            ...(def.children?.length ? { children: Object.fromEntries(def.children.map((c) => [c, {}])) } : {}),
            ...(def.vars ? { vars: plain(def.vars) } : {}),
          },
        ]),
      ),
    },
  };
}

/** Every variable name the inventory gives the hosts (all, group and host variables). */
export function inventoryVarNames(inv: Inventory): Set<string> {
  const names = new Set(Object.keys(inv.vars));
  for (const g of Object.values(inv.groups)) {
    for (const k of Object.keys(g.vars ?? {})) names.add(k);
    for (const h of Object.values(g.hosts ?? {})) for (const k of Object.keys(h)) names.add(k);
  }
  return names;
}

/** The emitted inventory's header line on TLS, so a reader of out/ sees which way it is set. */
export function tlsSummary(inv: Inventory): string {
  return tlsOn(inv)
    ? 'TLS on: etcd, the Patroni REST API and PostgreSQL use certificates from the pki role.'
    : 'TLS OFF (pgha_tls: false): etcd, the Patroni REST API and PostgreSQL travel in plaintext.';
}
