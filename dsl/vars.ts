// Role variables: one declaration gives the TypeScript type, defaults/main.yml,
// meta/argument_specs.yml and the README table.
import type { JinjaString } from './jinja.js';
import type { OptionType } from './module.js';

export interface VarSpec<T> {
  type: OptionType;
  /** Required by the house style; an imported role's undocumented variable has none. */
  description?: string;
  /** Absent for an optional variable: defaults/main.yml leaves it out, tasks test `x is defined`. */
  default?: T;
  choices?: readonly T[];
  elements?: OptionType;
  /** Never printed in logs (no_log in argument specs). */
  secret?: boolean;
  /**
   * No default: the inventory or the play must give it (argument specs `required: true`, and the
   * build refuses a play of the role where neither does).
   */
  required?: boolean;
  /** Phantom. */
  readonly __value?: T;
}

type Common = { description?: string };
// Every constructor takes an optional `default`: leave it out for a variable that is optional
// with no default (Ansible's `argument_specs` without `default`; read it as `x | default(...)` or
// under `when: x is defined`).

/** A string; with `choices`, the default must be one of them (the choices alone decide the type). */
export const str = <const T extends string = string>(
  o: Common & { choices?: readonly T[]; secret?: boolean } & (
      { default?: NoInfer<T>; required?: never } | { required: true; default?: never }
    ),
): VarSpec<T> => ({ type: 'str', ...o });
export const int = (o: Common & { default?: number; choices?: readonly number[] }): VarSpec<number> => ({
  type: 'int',
  ...o,
});
export const bool = (o: Common & { default?: boolean }): VarSpec<boolean> => ({ type: 'bool', ...o });
export const path = (o: Common & { default?: string }): VarSpec<string> => ({ type: 'path', ...o });
/** The TypeScript type of a list element of each Ansible element type. */
export type ListElement<K extends ListElementType> = {
  str: string;
  int: number;
  bool: boolean;
  dict: Readonly<Record<string, unknown>>;
  raw: unknown;
}[K];
/** 'raw': any element (an imported role's empty default says nothing of what it will hold). */
export type ListElementType = 'str' | 'int' | 'bool' | 'dict' | 'raw';

/**
 * A list of `elements`; its default may be a Jinja expression that yields one (e.g. from the
 * inventory). The element type comes from `elements`, not from the default's literals, so a role
 * use may pass any strings (or numbers, or mappings for 'dict').
 */
export const list = <K extends ListElementType>(
  o: Common & { default?: readonly ListElement<K>[] | JinjaString; elements: K },
): VarSpec<readonly ListElement<K>[]> => ({ type: 'list', ...o }) as VarSpec<readonly ListElement<K>[]>;
/** Any value, as Ansible's `raw` type takes it (an imported role's variable that is a string or a boolean). */
export const raw = (o: Common & { default?: unknown }): VarSpec<unknown> => ({ type: 'raw', ...o });
export const dict = <V>(
  o: Common & { default?: Readonly<Record<string, V>> },
): VarSpec<Readonly<Record<string, V>>> => ({ type: 'dict', ...o });
/** A string restricted to choices; the literal union becomes the TypeScript type. */
export const choice = <const C extends readonly string[]>(
  choices: C,
  o: Common & { default?: C[number] },
): VarSpec<C[number]> => ({ type: 'str', choices, ...o });

export type VarDecls = Record<string, VarSpec<unknown>>;
export type VarValue<S> = S extends VarSpec<infer T> ? T : never;
