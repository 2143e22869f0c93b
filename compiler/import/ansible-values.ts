// Module arguments as Ansible reads them: it converts a value to the option's type where the
// conversion is safe (`name: pkg` to a list, `port: '5432'` to a number, `force: 'yes'` to a
// boolean, `version: 15` to a string). The import writes the converted value, so the typed call
// holds what the module receives; anything Ansible would not convert is left as written for the
// build to refuse. Jinja is left alone: it is converted on the host, after templating.
import { isJinja } from '../values.js';
import type { DocOptionType } from './resolve-modules.js';

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** Python's str() of a scalar, as Ansible's check_type_str gives it. */
function pythonStr(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  return v;
}

function convert(type: string | undefined, v: unknown): unknown {
  if (v === null || v === undefined || isJinja(v)) return v;
  switch (type) {
    case 'str':
    case 'path':
      return typeof v === 'number' || typeof v === 'boolean' ? pythonStr(v) : v;
    case 'int':
      if (typeof v === 'string' && /^[-+]?\d+$/.test(v.trim())) return Number(v);
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      return v;
    case 'float':
      return typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
    case 'bool':
      if (typeof v === 'string' && TRUE.has(v.toLowerCase())) return true;
      if (typeof v === 'string' && FALSE.has(v.toLowerCase())) return false;
      if (v === 1 || v === 0) return v === 1;
      return v;
    default:
      return v;
  }
}

/** A value as Ansible's argument spec converts it for an option (or a role variable) of type `o`. */
export function convertOption(o: DocOptionType, v: unknown): unknown {
  if (v === null || v === undefined || isJinja(v)) return v;
  if (o.type === 'list') {
    let items: unknown = v;
    // check_type_list: a string is split on commas, a number becomes a one-item list.
    if (typeof v === 'string' && o.elements !== 'dict') items = v.split(',');
    else if (typeof v === 'number') items = [String(v)];
    if (!Array.isArray(items)) return v;
    return items.map((e) =>
      o.elements === 'dict' && o.suboptions && e && typeof e === 'object' && !Array.isArray(e)
        ? asAnsibleReads(e as Record<string, unknown>, o.suboptions)
        : convert(o.elements, e),
    );
  }
  if (o.type === 'dict' && o.suboptions && typeof v === 'object' && !Array.isArray(v))
    return asAnsibleReads(v as Record<string, unknown>, o.suboptions);
  return convert(o.type, v);
}

/** `args` with each option's value converted as the module's argument spec converts it. */
export function asAnsibleReads(
  args: Record<string, unknown>,
  options: Readonly<Record<string, DocOptionType>>,
): Record<string, unknown> {
  const byName = new Map<string, DocOptionType>();
  for (const [name, o] of Object.entries(options)) {
    byName.set(name, o);
    for (const a of o.aliases ?? []) byName.set(a, o);
  }
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => {
      const o = byName.get(k);
      return [k, o ? convertOption(o, v) : v];
    }),
  );
}
