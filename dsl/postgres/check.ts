// Checks one PostgreSQL parameter value against pg_settings and works out what the server will
// report for it (pg_settings.setting) and what applying a change takes (reload or restart).
import { isMemoryUnit, MEMORY_UNITS, PATRONI_OWNED, type PgSettingSpec, TIME_UNITS, unitSize } from './setting-spec.js';
import { PG_SETTINGS } from './settings.generated.js';
import { closest } from '../closest.js';

export type ApplyBy = 'reload' | 'restart';

export interface CheckedParameter {
  /** The value as written to Patroni's dynamic configuration. */
  value: string | number;
  /** What pg_settings.setting shows once applied (in the parameter's own unit). */
  setting: string;
  type: PgSettingSpec['type'];
  applyBy: ApplyBy;
}

export type ParameterCheck = { ok: true; checked: CheckedParameter } | { ok: false; message: string };

const SETTINGS: Readonly<Record<string, PgSettingSpec>> = PG_SETTINGS;
const BOOL_WORDS: Readonly<Record<string, 'on' | 'off'>> = {
  on: 'on',
  off: 'off',
  true: 'on',
  false: 'off',
  yes: 'on',
  no: 'off',
  1: 'on',
  0: 'off',
};

/** The known parameter closest to a misspelt name, if any is close. */
export function closestParameter(name: string): string | undefined {
  return closest(name, Object.keys(SETTINGS));
}

const describe = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));
const unitKind = (unit: string) => (isMemoryUnit(unit) ? 'a size' : 'a time');
const withUnit = (n: number, unit?: string) => (unit ? `${n} (${unit})` : String(n));

function checkNumber(spec: PgSettingSpec, value: unknown): ParameterCheck {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  const m = text === undefined ? null : /^\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*([A-Za-z]+)?\s*$/.exec(text);
  if (!m)
    return {
      ok: false,
      message: `expected ${spec.type === 'integer' ? 'an integer' : 'a number'}${spec.unit ? ` with an optional unit (${Object.keys(isMemoryUnit(spec.unit) ? MEMORY_UNITS : TIME_UNITS).join(', ')})` : ''}, got ${describe(value)}`,
    };
  let n = Number(m[1]);
  const given = m[2];
  if (given) {
    if (!spec.unit) return { ok: false, message: `takes no unit, got ${describe(value)}` };
    const memory = isMemoryUnit(spec.unit);
    const table: Record<string, number> = memory ? MEMORY_UNITS : TIME_UNITS;
    if (!(given in table)) {
      const other: Record<string, number> = memory ? TIME_UNITS : MEMORY_UNITS;
      return {
        ok: false,
        message:
          given in other
            ? `is ${unitKind(spec.unit)} (unit ${spec.unit}), but ${describe(value)} is ${memory ? 'a time' : 'a size'}`
            : `unknown unit '${given}' in ${describe(value)}; PostgreSQL accepts ${Object.keys(table).join(', ')} (case matters)`,
      };
    }
    n = (n * table[given]!) / unitSize(spec.unit);
  }
  if (spec.type === 'integer') n = Math.round(n);
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    return {
      ok: false,
      message: `${describe(value)} is ${withUnit(n, spec.unit)}, outside the allowed range ${withUnit(spec.min!, spec.unit)} .. ${withUnit(spec.max!, spec.unit)}`,
    };
  }
  return {
    ok: true,
    checked: {
      value: typeof value === 'number' ? value : text!.trim(),
      setting: String(n),
      type: spec.type,
      applyBy: 'reload',
    },
  };
}

function checkValue(spec: PgSettingSpec, value: unknown): ParameterCheck {
  switch (spec.type) {
    case 'bool': {
      const word =
        typeof value === 'boolean'
          ? value
            ? 'on'
            : 'off'
          : typeof value === 'string'
            ? BOOL_WORDS[value.toLowerCase()]
            : undefined;
      if (!word) return { ok: false, message: `expected on or off (or true/false), got ${describe(value)}` };
      return {
        ok: true,
        checked: { value: typeof value === 'string' ? value : word, setting: word, type: 'bool', applyBy: 'reload' },
      };
    }
    case 'enum': {
      const found = typeof value === 'string' ? spec.values!.find((v) => v === value.toLowerCase()) : undefined;
      if (!found) return { ok: false, message: `expected one of ${spec.values!.join(', ')}, got ${describe(value)}` };
      return { ok: true, checked: { value: value as string, setting: found, type: 'enum', applyBy: 'reload' } };
    }
    case 'string':
      if (typeof value !== 'string') return { ok: false, message: `expected a string, got ${describe(value)}` };
      return { ok: true, checked: { value, setting: value, type: 'string', applyBy: 'reload' } };
    default:
      return checkNumber(spec, value);
  }
}

/** Checks a parameter's name and value; on success says what the server will show and what applying takes. */
export function checkParameter(name: string, value: unknown): ParameterCheck {
  const spec = Object.hasOwn(SETTINGS, name) ? SETTINGS[name] : undefined;
  if (!spec) {
    const near = closestParameter(name);
    return { ok: false, message: `unknown PostgreSQL parameter${near ? `; did you mean '${near}'?` : ''}` };
  }
  if (spec.context === 'internal')
    return {
      ok: false,
      message:
        'cannot be set in a configuration file (context internal: fixed when PostgreSQL was built or initdb ran)',
    };
  if (Object.hasOwn(PATRONI_OWNED, name))
    return { ok: false, message: `is owned by Patroni: ${PATRONI_OWNED[name as keyof typeof PATRONI_OWNED]}` };
  const r = checkValue(spec, value);
  if (r.ok) r.checked.applyBy = spec.context === 'postmaster' ? 'restart' : 'reload';
  return r;
}
