// Typed PostgreSQL parameters: the TypeScript type of each is computed from the generated
// pg_settings data, so a misspelt name, a wrong type, a unit that does not fit or an enum value
// outside its list is a type error in the editor; the compiler checks bounds and the rest.
import type { MemoryUnit, PATRONI_OWNED, TimeUnit } from './setting-spec.js';
import { PG_SETTINGS } from './settings.generated.js';

type Settings = typeof PG_SETTINGS;
type PgBool = boolean | 'on' | 'off';
type Units<U> = U extends `${string}B` ? MemoryUnit : TimeUnit;
type Numeric<S> = S extends { unit: infer U } ? number | `${number}${Units<U>}` : number;

type ValueOf<S> = S extends { type: 'bool' }
  ? PgBool
  : S extends { type: 'enum'; values: readonly (infer E)[] }
    ? E
    : S extends { type: 'integer' | 'real' }
      ? Numeric<S>
      : string;

type PatroniOwned = keyof typeof PATRONI_OWNED;
/** Parameters a configuration may set: not internal (read-only), not owned by Patroni. */
type Settable = {
  [
    K in keyof Settings as Settings[K]['context'] extends 'internal' ? never : K extends PatroniOwned ? never : K
  ]?: ValueOf<Settings[K]>;
};

export type PgParameters = Settable;
export type PgParameterName = Extract<keyof Settable, string>;

/** Marks a parameter set so the compiler finds and checks it wherever it is used. */
export const PG_PARAMETERS_MARK = '__pgParameters';

// A type alias, not an interface: it must stay assignable to a role variable's Record type.
export type PgParameterSet = { readonly [PG_PARAMETERS_MARK]?: { readonly stack: string } };

/**
 * The cluster's PostgreSQL parameters, written as PostgreSQL accepts them ('256MB', '5s', 200, 'on').
 * The patroni role bootstraps from them and the config playbook applies them.
 */
export function pgParameters(values: PgParameters): PgParameters & PgParameterSet {
  const out = { ...values } as PgParameters & PgParameterSet;
  // Where the set was written (file and line in the emitted JS), for the compiler's messages.
  Object.defineProperty(out, PG_PARAMETERS_MARK, { value: { stack: new Error().stack ?? '' }, enumerable: false });
  return out;
}
