// A call of an Ansible module with its arguments, plus the runtime description of the module's
// options that the generated module files carry (used by the compiler's argument checks).

export type OptionType =
  | 'str'
  | 'int'
  | 'float'
  | 'bool'
  | 'list'
  | 'dict'
  | 'path'
  | 'raw'
  | 'jsonarg'
  | 'json'
  | 'bytes'
  | 'bits'
  | 'sid'
  | 'any';

export interface OptionSpec {
  type?: OptionType;
  required?: boolean;
  choices?: readonly (string | number | boolean)[];
  elements?: OptionType;
  aliases?: readonly string[];
  suboptions?: Readonly<Record<string, OptionSpec>>;
  /**
   * A role variable's list: a single value stays that value (argument spec validation converts
   * nothing it passes on), so a loop over it fails on the host. A module's list takes one value.
   */
  listOnly?: boolean;
  /** An int's bounds (role variables: a port's, or the declaration's own). */
  min?: number;
  max?: number;
}

/** What a module's AnsibleModule(...) call declares about its arguments together. */
export interface ArgConstraints {
  mutually_exclusive?: readonly (readonly string[])[];
  required_together?: readonly (readonly string[])[];
  required_one_of?: readonly (readonly string[])[];
  /** [option, value, requirements, any of them is enough] */
  required_if?: readonly (readonly [string, unknown, readonly string[], boolean?])[];
  /** option -> the options it needs */
  required_by?: Readonly<Record<string, readonly string[]>>;
  /** Options with a default: AnsibleModule sets them before the required_* checks. */
  defaulted?: readonly string[];
}

export interface ModuleSpec {
  fqcn: string;
  options: Readonly<Record<string, OptionSpec>>;
  /** Modules such as command and shell take a free-form string. */
  freeForm?: boolean;
  constraints?: ArgConstraints;
  /** What a registered result of this module holds besides the common keys, with each key's documented type (its RETURN documentation; '' when it gives none). */
  returns?: Readonly<Record<string, string>>;
}

export interface ModuleCall {
  readonly kind: 'module';
  readonly spec: ModuleSpec;
  /** Keyword arguments, or the free-form text of modules such as meta. */
  readonly args: Readonly<Record<string, unknown>> | string;
}

export function moduleCall(spec: ModuleSpec, args: object): ModuleCall {
  return { kind: 'module', spec, args: args as Record<string, unknown> };
}

/** A value Ansible's `raw` option type accepts: any YAML scalar, list or mapping. */
export type RawValue = string | number | boolean | readonly unknown[] | Readonly<Record<string, unknown>>;

/**
 * An escape hatch for a module without generated types (`npm run import` writes it): the
 * arguments go to Ansible unchecked. `npm run gen:modules -- <fqcn>` gives the typed call instead.
 */
export function untypedModule(fqcn: string, args: Readonly<Record<string, unknown>> | string): ModuleCall {
  return { kind: 'module', spec: { fqcn, options: {}, freeForm: true }, args: args };
}
