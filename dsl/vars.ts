// Role variables: one declaration gives the TypeScript type, defaults/main.yml,
// meta/argument_specs.yml and the README table.
import type { JinjaString } from './jinja.js';
import type { OptionType } from './module.js';

export interface VarSpec<T> {
  type: OptionType;
  description: string;
  default: T;
  choices?: readonly T[];
  elements?: OptionType;
  /** Never printed in logs (no_log in argument specs). */
  secret?: boolean;
  /** Phantom. */
  readonly __value?: T;
}

type Common = { description: string };

export const str = <T extends string = string>(o: Common & { default: T; choices?: readonly T[]; secret?: boolean }): VarSpec<T> =>
  ({ type: 'str', ...o });
export const int = (o: Common & { default: number; choices?: readonly number[] }): VarSpec<number> => ({ type: 'int', ...o });
export const bool = (o: Common & { default: boolean }): VarSpec<boolean> => ({ type: 'bool', ...o });
export const path = (o: Common & { default: string }): VarSpec<string> => ({ type: 'path', ...o });
/** A list; its default may be a Jinja expression that yields one (e.g. from the inventory). */
export const list = <E extends string | number>(o: Common & { default: readonly E[] | JinjaString; elements: 'str' | 'int' }): VarSpec<readonly E[]> =>
  ({ type: 'list', ...o } as VarSpec<readonly E[]>);
export const dict = <V>(o: Common & { default: Readonly<Record<string, V>> }): VarSpec<Readonly<Record<string, V>>> => ({ type: 'dict', ...o });
/** A string restricted to choices; the literal union becomes the TypeScript type. */
export const choice = <const C extends readonly string[]>(choices: C, o: Common & { default: C[number] }): VarSpec<C[number]> =>
  ({ type: 'str', choices, ...o });

export type VarDecls = Record<string, VarSpec<any>>;
export type VarValue<S> = S extends VarSpec<infer T> ? T : never;
