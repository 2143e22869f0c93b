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
  /** Never printed in logs (no_log in argument specs); the build refuses a task that shows it. */
  secret?: boolean;
  /** The keys of a dict, or of each dict of a list (argument specs `options`): others are refused. */
  options?: VarDecls;
  /**
   * No default: the inventory or the play must give it (argument specs `required: true`, and the
   * build refuses a play of the role where neither does).
   */
  required?: boolean;
  /** The README's section for the variable (e.g. 'TLS', 'Schedules'); without one, 'General'. */
  topic?: string;
  /**
   * 'network': a CIDR network (a str), or addresses and networks (each element of a list); an
   * inventory's value is checked at build time, and one that lets every address in (`/0`) is
   * refused unless the inventory says `anyNetwork: true`.
   */
  format?: 'network';
  /** An int's bounds, checked at build time in defaults, plays and inventories (a `_port` variable: 1-65535 unless given). */
  min?: number;
  max?: number;
  /** Phantom. */
  readonly __value?: T;
}

type Common = { description?: string; secret?: boolean; topic?: string; format?: 'network' };
/**
 * Every constructor takes an optional `default`, or `required: true` instead: leave both out for a
 * variable that is optional with no default (Ansible's `argument_specs` without `default`; read it
 * as `x | default(...)` or under `when: x is defined`).
 */
type Presence<T> = { default?: T; required?: never } | { required: true; default?: never };

/** A string; with `choices`, restricted to them: their union is the TypeScript type, and the default must be one of them. */
export const str = <const T extends string = string>(
  o: Common & { choices?: readonly T[] } & Presence<NoInfer<T>>,
): VarSpec<T> => ({ type: 'str', ...o });
export const int = (
  o: Common & { choices?: readonly number[]; min?: number; max?: number } & Presence<number>,
): VarSpec<number> => ({
  type: 'int',
  ...o,
});
export const bool = (o: Common & Presence<boolean>): VarSpec<boolean> => ({ type: 'bool', ...o });
export const path = (o: Common & Presence<string>): VarSpec<string> => ({ type: 'path', ...o });
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
export function list<const O extends VarDecls>(
  o: Common & { elements: 'dict'; options: O } & Presence<readonly OptionsValue<O>[] | JinjaString>,
): VarSpec<readonly OptionsValue<O>[]>;
export function list<K extends ListElementType>(
  o: Common & { elements: K } & Presence<readonly ListElement<K>[] | JinjaString>,
): VarSpec<readonly ListElement<K>[]>;
export function list(o: Common & { elements: ListElementType; options?: VarDecls }): VarSpec<unknown> {
  return { type: 'list', ...o };
}
/** Any value, as Ansible's `raw` type takes it (an imported role's variable that is a string or a boolean). */
export const raw = (o: Common & Presence<unknown>): VarSpec<unknown> => ({ type: 'raw', ...o });
/** A mapping: with `options`, of those keys only (each typed); without, of any key to `V`. */
export function dict<const O extends VarDecls>(
  o: Common & { options: O } & Presence<OptionsValue<O>>,
): VarSpec<OptionsValue<O>>;
export function dict<V>(o: Common & Presence<Readonly<Record<string, V>>>): VarSpec<Readonly<Record<string, V>>>;
export function dict(o: Common & { options?: VarDecls }): VarSpec<unknown> {
  return { type: 'dict', ...o };
}
export type VarDecls = Record<string, VarSpec<unknown>>;
export type VarValue<S> = S extends VarSpec<infer T> ? T : never;
/**
 * A dict declared with `options`: its keys, each optional in the type (the build checks what is
 * required), a value or Jinja that yields it.
 */
export type OptionsValue<O extends VarDecls> = { readonly [K in keyof O]?: VarValue<O[K]> | JinjaString };
