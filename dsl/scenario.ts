// A Molecule scenario on the local stand: its plays, compiled to out/molecule/<name>/.
import type { PlayEntry as Play } from './playbook.js';

export type MoleculeStep = 'destroy' | 'create' | 'prepare' | 'converge' | 'idempotence' | 'verify';

export interface Scenario {
  readonly kind: 'scenario';
  readonly name: string;
  readonly description: string;
  readonly create: readonly Play[];
  readonly destroy: readonly Play[];
  /** Run once before converge: what the role under test needs (not part of its idempotence check). */
  readonly prepare?: readonly Play[];
  readonly converge: readonly Play[];
  readonly verify: readonly Play[];
  readonly sequence: readonly MoleculeStep[];
}

/** A scenario, written as a role or a playbook is: one object, its fields named. */
export function scenario(definition: Omit<Scenario, 'kind'>): Scenario {
  return { kind: 'scenario', ...definition };
}
