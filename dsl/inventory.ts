// An Ansible inventory: groups of hosts with host and group variables.

export interface InventoryGroup {
  readonly hosts?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Groups whose hosts belong to this one too (Ansible's `children`). The project's playbooks
   * target fixed groups (`infra`, `etcd`, `pg`); an inventory with groups of its own names maps
   * them, e.g. `pg: { children: ['databases'] }`.
   */
  readonly children?: readonly string[];
  readonly vars?: Readonly<Record<string, unknown>>;
}

/** Site-wide switches the playbooks read, typed; any other variable is a role's (checked at build time). */
export interface SiteVars {
  /**
   * TLS for etcd (client and peer, with client certificates), Patroni's REST API and PostgreSQL
   * (`hostssl` only). On unless set to false; the build's summary names every inventory with it off.
   */
  readonly pgha_tls?: boolean;
  /**
   * The cluster's virtual IPv4 address: clients connect to it (HAProxy's read-write and read-only
   * ports). keepalived keeps it on one database host whose HAProxy runs. It must lie in `network`
   * and be no host's own address (checked at build time). Unset: no virtual IP; clients connect to
   * any database host's HAProxy or list them all (libpq `host=a,b,c`).
   */
  readonly pgha_vip?: string;
  /**
   * Addresses operators call Patroni's REST API from directly, besides the infra host (which the
   * operation playbooks use): only these, the infra host and the members may switch over, restart
   * or change the configuration. The stand's inventories give the controller's bridge address.
   */
  readonly pgha_admin_addresses?: readonly string[];
  /**
   * What to check when the hosts' package sources fail (site.yml stops with the URL and the answer
   * and then names this): your proxy's log, your mirror. Unset: the host's apt sources and proxy.
   */
  readonly pgha_package_source_hint?: string;
}

/** Whether an inventory runs the cluster with TLS (`pgha_tls`, on unless false). */
export const tlsOn = (inv: Inventory): boolean => inv.vars.pgha_tls !== false;

export interface Inventory {
  readonly kind: 'inventory';
  /** Output file: out/inventory/<name>.yml */
  readonly name: string;
  /** The hosts' network (IPv4 CIDR): every `ansible_host` must lie in it (checked at build time). */
  readonly network?: string;
  /**
   * Accept a network that is every address (`0.0.0.0/0`, `::/0`) as `network` or as a role's
   * network variable (pg_hba's, the name server's clients...): refused unless set, as a slip that
   * opens a service to the whole Internet.
   */
  readonly anyNetwork?: boolean;
  readonly vars: SiteVars & Readonly<Record<string, unknown>>;
  readonly groups: Readonly<Record<string, InventoryGroup>>;
}

export function inventory(name: string, def: Omit<Inventory, 'kind' | 'name'>): Inventory {
  return { kind: 'inventory', name, ...def };
}

/** Every host with its variables as written (a host listed in several groups merges them). */
export function inventoryHosts(inv: Inventory): Map<string, Readonly<Record<string, unknown>>> {
  const out = new Map<string, Readonly<Record<string, unknown>>>();
  for (const def of Object.values(inv.groups))
    for (const [h, vars] of Object.entries(def.hosts ?? {})) out.set(h, { ...out.get(h), ...vars });
  return out;
}

/**
 * The hosts of each group, its children's included, plus `all`. Children that no group defines
 * and cycles add nothing here (the build reports them).
 */
export function groupMembers(inv: Inventory): Map<string, Set<string>> {
  const collect = (g: string, visited: Set<string>, into: Set<string>): Set<string> => {
    visited.add(g);
    for (const h of Object.keys(inv.groups[g]?.hosts ?? {})) into.add(h);
    for (const child of inv.groups[g]?.children ?? []) if (!visited.has(child)) collect(child, visited, into);
    return into;
  };
  const out = new Map(Object.keys(inv.groups).map((g) => [g, collect(g, new Set(), new Set())]));
  out.set('all', new Set(inventoryHosts(inv).keys()));
  return out;
}

/** Groups whose children lead back to themselves, e.g. ['a', 'b', 'a']. */
export function childCycles(inv: Inventory): string[][] {
  const cycles: string[][] = [];
  const walk = (g: string, path: string[]): void => {
    for (const c of inv.groups[g]?.children ?? []) {
      if (path.includes(c)) {
        if (c === path[0]) cycles.push([...path, c]);
      } else walk(c, [...path, c]);
    }
  };
  for (const g of Object.keys(inv.groups)) walk(g, [g]);
  return cycles;
}
