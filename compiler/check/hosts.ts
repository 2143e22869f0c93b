// A play's `hosts` must name groups or hosts the inventories define: a misspelt group matches no
// host, and Ansible then skips the play with only a warning ("no hosts matched").
import { closest } from '../../dsl/closest.js';
import type { Inventory } from '../../dsl/inventory.js';

/** Group and host names every emitted inventory defines, plus Ansible's implicit ones. */
export function inventoryNames(inventories: readonly Inventory[]): Set<string> {
  const names = new Set(['all', 'ungrouped', 'localhost']);
  for (const inv of inventories) {
    for (const [g, def] of Object.entries(inv.groups)) {
      names.add(g);
      for (const h of Object.keys(def.hosts ?? {})) names.add(h);
    }
  }
  return names;
}

/** The group and host names in a host pattern (`pg`, `infra[0]`, `pg[1:]`, `pg:!pg01`, `web,db`), wildcards kept. */
export function patternNames(pattern: string): string[] {
  // Subscripts go first: a slice such as pg[1:] holds the ':' that also separates patterns.
  return pattern
    .replace(/\[[^\]]*\]/g, '')
    .split(/[:,]/)
    .map((p) => p.trim().replace(/^[!&]/, ''))
    .filter((p) => p !== '');
}

/** Problems with a host pattern; Jinja and wildcards are not judged. */
export function hostPatternProblems(pattern: string, names: ReadonlySet<string>): string[] {
  if (pattern.includes('{{')) return [];
  const out: string[] = [];
  for (const name of patternNames(pattern)) {
    if (/[*?~]/.test(name) || names.has(name)) continue;
    const near = closest(name, names);
    out.push(
      `hosts names '${name}', which no inventory defines${near ? `; did you mean '${near}'?` : ''} (groups and hosts: ${[...names].sort().join(', ')})`,
    );
  }
  return out;
}
