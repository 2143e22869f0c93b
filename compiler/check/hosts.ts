// A play's `hosts` must name groups or hosts the inventories define: a misspelt group matches no
// host, and Ansible then skips the play with only a warning ("no hosts matched").
import { isIP } from 'node:net';
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

/**
 * Literal `delegate_to` names in an emitted document (tasks, blocks, handlers, plays), each with
 * the field path the Jinja texts get: a misspelt host there fails only when the task runs
 * ("unreachable", or a host Ansible invents with default connection settings).
 */
export function delegateTargets(doc: unknown, prefix: string): { field: string; name: string }[] {
  const out: { field: string; name: string }[] = [];
  const visit = (v: unknown, at: string): void => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        const name = (x as { name?: unknown } | null)?.name;
        visit(x, `${at}[${i}]${typeof name === 'string' ? ` '${name}'` : ''}`);
      });
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        const field = at ? `${at}.${k}` : k;
        if (k === 'delegate_to' && typeof x === 'string' && !x.includes('{{')) out.push({ field, name: x });
        else visit(x, field);
      }
  };
  visit(doc, prefix);
  return out;
}

/** A delegate_to host no inventory defines (a group name is no host either). */
export function delegateProblem(
  name: string,
  names: ReadonlySet<string>,
  groups: ReadonlySet<string>,
): string | undefined {
  // An address is a host of its own to Ansible (an implicit one, reached as written).
  if ((names.has(name) && !groups.has(name)) || isIP(name)) return undefined;
  if (groups.has(name))
    return `delegate_to names the group '${name}': delegation takes one host; use "{{ groups['${name}'][0] }}" or a loop`;
  const near = closest(
    name,
    [...names].filter((n) => !groups.has(n)),
  );
  return `delegate_to names '${name}', which no inventory defines${near ? `; did you mean '${near}'?` : ''}: the task would fail as unreachable on the host`;
}

/** Group names of every inventory (delegation takes a host, never a group). */
export function inventoryGroups(inventories: readonly Inventory[]): Set<string> {
  return new Set(['all', 'ungrouped', ...inventories.flatMap((i) => Object.keys(i.groups))]);
}
