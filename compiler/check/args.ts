// Checks module arguments against the module's options (from ansible-doc, via the generated files):
// unknown names, missing required options, wrong types and values outside `choices`, and the
// module's own rules about arguments together (mutually exclusive, required together...).
import type { ModuleSpec, OptionSpec } from '../../dsl/module.js';
import { isJinja } from '../values.js';
import { closest } from '../../dsl/closest.js';

type Report = (field: string, message: string) => void;

function typeError(type: string, v: unknown): string | undefined {
  const got = Array.isArray(v) ? 'a list' : v === null ? 'null' : `a ${typeof v} (${JSON.stringify(v)})`;
  switch (type) {
    case 'str':
    case 'path':
    case 'sid':
      return typeof v === 'string' ? undefined : `expected a string, got ${got}`;
    case 'int':
      return Number.isInteger(v) ? undefined : `expected an integer, got ${got}`;
    case 'float':
      return typeof v === 'number' ? undefined : `expected a number, got ${got}`;
    case 'bool':
      return typeof v === 'boolean' ? undefined : `expected a boolean (true or false), got ${got}`;
    case 'list':
      return Array.isArray(v) ? undefined : `expected a list, got ${got}`;
    case 'dict':
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : `expected a mapping, got ${got}`;
    default:
      return undefined;
  }
}

function checkValue(opt: OptionSpec, v: unknown, field: string, report: Report): void {
  if (isJinja(v)) return; // decided at run time
  // Ansible takes a single value for a list of scalars (`name: pkg`) as a list of one.
  if (opt.type === 'list' && opt.listOnly && (typeof v === 'string' || typeof v === 'number')) {
    report(
      field,
      `a list variable given ${JSON.stringify(v)}: a role variable keeps the value it is given, and a loop over a string fails on the host ("must resolve to a list"); write [${JSON.stringify(v)}]`,
    );
    return;
  }
  if (opt.type === 'list' && opt.elements !== 'dict' && (typeof v === 'string' || typeof v === 'number')) {
    checkValue({ ...opt, type: opt.elements ?? 'str' }, v, field, report);
    return;
  }
  const err = opt.type ? typeError(opt.type, v) : undefined;
  if (err) {
    report(field, err);
    return;
  }
  if (opt.type === 'list' && Array.isArray(v)) {
    v.forEach((e, i) => {
      if (isJinja(e)) return;
      const elErr = opt.elements ? typeError(opt.elements, e) : undefined;
      if (elErr) report(`${field}[${i}]`, elErr);
      else if (opt.choices && !opt.choices.includes(e as string))
        report(
          `${field}[${i}]`,
          `expected one of ${opt.choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(e)}`,
        );
      else if (opt.suboptions && opt.elements === 'dict')
        checkOptions(opt.suboptions, e as Record<string, unknown>, `${field}[${i}]`, report);
    });
    return;
  }
  if (typeof v === 'number' && ((opt.min !== undefined && v < opt.min) || (opt.max !== undefined && v > opt.max)))
    report(
      field,
      `${v} is outside ${opt.min ?? '-inf'}-${opt.max ?? 'inf'}${opt.max === 65535 ? ' (a TCP port)' : ''}`,
    );
  if (opt.choices && !opt.choices.includes(v as string)) {
    report(field, `expected one of ${opt.choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(v)}`);
  }
  if (opt.type === 'dict' && opt.suboptions) checkOptions(opt.suboptions, v as Record<string, unknown>, field, report);
}

export function checkOptions(
  options: Readonly<Record<string, OptionSpec>>,
  args: Record<string, unknown>,
  prefix: string,
  report: Report,
  freeForm = false,
): void {
  const byName = new Map<string, [string, OptionSpec]>();
  for (const [name, o] of Object.entries(options)) {
    byName.set(name, [name, o]);
    for (const a of o.aliases ?? []) byName.set(a, [name, o]);
  }
  for (const [key, v] of Object.entries(args)) {
    if (v === undefined) continue;
    const found = byName.get(key);
    if (!found) {
      if (!freeForm) {
        const near = closest(key, Object.keys(options));
        report(
          `${prefix}.${key}`,
          `unknown argument${near ? `; did you mean '${near}'?` : ''} (expected one of ${Object.keys(options).join(', ')})`,
        );
      }
      continue;
    }
    checkValue(found[1], v, `${prefix}.${key}`, report);
  }
  for (const [name, o] of Object.entries(options)) {
    if (!o.required) continue;
    const given = [name, ...(o.aliases ?? [])].some((k) => args[k] !== undefined);
    if (!given)
      report(
        `${prefix}.${name}`,
        `missing required argument${o.aliases?.length ? ` (or its alias ${o.aliases.join(', ')})` : ''}`,
      );
  }
}

export function checkModuleArgs(spec: ModuleSpec, args: Record<string, unknown>, prefix: string, report: Report): void {
  checkOptions(spec.options, args, prefix, report, spec.freeForm);
  if (spec.constraints) checkConstraints(spec, args, prefix, report);
}

/** The module's own rules about arguments together, as AnsibleModule would apply them on the host. */
function checkConstraints(spec: ModuleSpec, args: Record<string, unknown>, prefix: string, report: Report): void {
  const c = spec.constraints!;
  // Options given, under every name they go by (the constraints may use an alias: apt's `package`).
  const names = (key: string) => {
    const found = Object.entries(spec.options).find(([n, o]) => n === key || o.aliases?.includes(key));
    return found ? [found[0], ...(found[1].aliases ?? [])] : [key];
  };
  const given = new Set<string>();
  for (const [key, v] of Object.entries(args)) if (v !== undefined) for (const n of names(key)) given.add(n);
  // mutually_exclusive is checked on what the task gives; the others after defaults are set.
  const withDefaults = new Set([...given, ...(c.defaulted ?? []).flatMap(names)]);
  const list = (names: readonly string[]) => names.filter((n) => !n.startsWith('_')).join(', ');
  for (const group of c.mutually_exclusive ?? []) {
    const both = group.filter((n) => given.has(n));
    if (both.length > 1)
      report(
        `${prefix}.${both[1]}`,
        `${both.join(' and ')} are mutually exclusive (${spec.fqcn} takes at most one of ${list(group)})`,
      );
  }
  for (const group of c.required_together ?? []) {
    const some = group.filter((n) => withDefaults.has(n));
    if (some.length && some.length < group.length)
      report(
        `${prefix}.${group.find((n) => !withDefaults.has(n))}`,
        `${some.join(', ')} needs ${list(group.filter((n) => !withDefaults.has(n)))} too (${spec.fqcn} requires ${list(group)} together)`,
      );
  }
  for (const group of c.required_one_of ?? []) {
    // A free-form module (command, shell) may be called with its text instead (_raw_params).
    if (group.some((n) => n.startsWith('_'))) continue;
    if (!group.some((n) => withDefaults.has(n))) report(prefix, `${spec.fqcn} needs one of ${list(group)}`);
  }
  for (const [key, value, needs, anyOf] of c.required_if ?? []) {
    const v = Object.entries(args).find(([k]) => names(key).includes(k))?.[1];
    if (v === undefined || isJinja(v) || v !== value) continue;
    const missing = needs.filter((n) => !withDefaults.has(n));
    if (anyOf ? missing.length === needs.length : missing.length) {
      report(
        `${prefix}.${key}`,
        `with ${key}=${JSON.stringify(value)}, ${spec.fqcn} needs ${anyOf ? 'one of ' : ''}${list(anyOf ? needs : missing)}`,
      );
    }
  }
  for (const [key, needs] of Object.entries(c.required_by ?? {})) {
    if (!given.has(key)) continue;
    const missing = needs.filter((n) => !withDefaults.has(n));
    if (missing.length) report(`${prefix}.${key}`, `${key} needs ${list(missing)} (${spec.fqcn})`);
  }
}
