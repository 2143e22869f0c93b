// The generated README of a role, in the shape of the well-known Galaxy roles: what it does,
// Requirements (what it reads from outside itself), Role Variables, Dependencies, Example
// Playbook (a play of the project that uses it, as emitted) and License.
import type { RoleDefinition } from '../../dsl/role.js';
import type { VarDecls, VarSpec } from '../../dsl/vars.js';
import { toYaml } from '../../lib/yaml-out.js';
import { scanTemplate } from '../jinja-refs.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export interface ReadmeExtras {
  /** Inventory variables the role reads (defaults, tasks, templates). */
  inventoryReads: readonly string[];
  /** Inventory groups named literally (`groups['infra']`) or through a variable's default. */
  groups: readonly string[];
  /** A play of the project that uses the role, as emitted. */
  example?: unknown;
  license: string;
}

/**
 * What a role reads from outside itself, from every string it emits (defaults, tasks, templates):
 * inventory variables it does not declare, and inventory groups, named literally
 * (`groups['infra']`) or through one of its variables (`groups[etcd_group]`, by its default).
 */
export function roleRequirements(
  texts: readonly string[],
  inventoryVars: ReadonlySet<string>,
  declared: ReadonlySet<string>,
  defaults: Readonly<Record<string, unknown>>,
): Pick<ReadmeExtras, 'inventoryReads' | 'groups'> {
  const reads = new Set<string>();
  const groups = new Set<string>();
  for (const text of texts) {
    for (const n of scanTemplate(text).reads) if (inventoryVars.has(n) && !declared.has(n)) reads.add(n);
    for (const m of text.matchAll(/groups\[['"]([\w-]+)['"]\]/g)) if (m[1] !== 'all') groups.add(m[1]!);
    for (const m of text.matchAll(/groups\[(\w+)\]/g))
      if (typeof defaults[m[1]!] === 'string') groups.add(defaults[m[1]!] as string);
  }
  return { inventoryReads: [...reads].sort(), groups: [...groups].sort() };
}

export function renderRoleReadme(
  def: RoleDefinition<VarDecls>,
  defaults: Record<string, unknown>,
  extras: ReadmeExtras,
): string {
  // A list or dict default longer than a table cell reads better as the YAML a user would write.
  const structured = Object.entries(def.vars).filter(
    ([k, v]) =>
      !v.secret &&
      typeof defaults[k] === 'object' &&
      defaults[k] !== null &&
      // A Map (keys that are numbers) is written as YAML below: JSON would show it as {}.
      (defaults[k] instanceof Map || JSON.stringify(defaults[k]).length > 40),
  );
  const blocks = new Set(structured.map(([k]) => k));
  const row = ([k, v]: [string, VarSpec<unknown>]) => {
    const shown = v.secret
      ? '(secret)'
      : blocks.has(k)
        ? '(see below)'
        : k in defaults
          ? JSON.stringify(defaults[k])
          : v.required
            ? '(none: required, from the inventory or the play)'
            : '(none: optional)';
    const type = v.choices
      ? `${v.type}: ${v.choices.map((c) => `\`${String(c)}\``).join(', ')}`
      : v.elements
        ? `${v.type} of ${v.elements}`
        : v.type;
    return `| \`${k}\` | ${cell(type)} | \`${cell(shown ?? '')}\` | ${cell(v.description ?? '')} |`;
  };
  // Variables grouped by their topic, in the order the topics first appear; one table each, the
  // structured defaults of a topic below its table. A role without topics keeps one table.
  const topics = new Map<string, [string, VarSpec<unknown>][]>();
  for (const entry of Object.entries(def.vars)) {
    const topic = entry[1].topic ?? 'General';
    topics.set(topic, [...(topics.get(topic) ?? []), entry]);
  }
  const variables = [...topics].flatMap(([topic, entries]) => [
    ...(topics.size > 1 ? [`### ${topic}`, ''] : []),
    '| Name | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...entries.map(row),
    '',
    ...entries
      .filter(([k]) => blocks.has(k))
      .flatMap(([k]) => [`Default of \`${k}\`:`, '', '```yaml', toYaml({ [k]: defaults[k] }).trimEnd(), '```', '']),
  ]);

  const required = Object.entries(def.vars)
    .filter(([, v]) => v.required)
    .map(([k]) => k);
  const requirements = [
    'Debian 12 (bookworm) hosts reachable over SSH with become (root).',
    ...(extras.groups.length ? [`Inventory groups: ${extras.groups.map((g) => `\`${g}\``).join(', ')}.`] : []),
    ...(extras.inventoryReads.length
      ? [`Inventory variables it reads: ${extras.inventoryReads.map((g) => `\`${g}\``).join(', ')}.`]
      : []),
    ...(required.length
      ? [
          `Variables without a default, which the inventory or the play must set: ${required.map((k) => `\`${k}\``).join(', ')}.`,
        ]
      : []),
  ];
  const meta = (def.dependencies ?? []).map((u) => `- \`${u.role.definition.name}\` (Ansible runs it first)`);
  const needs = (def.needs ?? []).map((n) => `- \`${n.role.definition.name}\`: ${n.provides}`);
  const deps = [
    ...(meta.length ? ['Meta dependencies:', '', ...meta, ''] : []),
    ...(needs.length
      ? [
          `${meta.length ? 'It also relies' : 'None as meta dependencies; it relies'} on these roles having run before it (the site playbook runs them first):`,
          '',
          ...needs,
          '',
        ]
      : []),
  ];
  return [
    `# Role \`${def.name}\``,
    '',
    '<!-- Generated by `npm run build` from roles-src; edit the TypeScript source instead. -->',
    '',
    def.description,
    '',
    '## Requirements',
    '',
    ...requirements.map((r) => `- ${r}`),
    '',
    '## Role Variables',
    '',
    ...variables,
    '## Dependencies',
    '',
    ...(deps.length ? deps : ['None.', '']),
    ...(extras.example ? ['## Example Playbook', '', '```yaml', toYaml([extras.example]).trimEnd(), '```', ''] : []),
    '## License',
    '',
    extras.license,
    '',
  ].join('\n');
}
