// Which layout of the stand definition is up (inventories/stand.ts `layouts`): recorded when the
// stand comes up, so status, deploys and faults work on the same hosts until it goes down.
import fs from 'node:fs';
import path from 'node:path';
import { layoutHosts, stand, type StandHost, type StandLayout } from '../../inventories/stand.js';
import { standInventoryName } from '../../inventories/stand-inventory.js';
import { STATE_DIR } from './paths.js';

const LAYOUT_FILE = path.join(STATE_DIR, 'layout');

export function isLayout(name: string): name is StandLayout {
  return Object.hasOwn(stand.layouts, name);
}

/** The layout the running stand was brought up in; `default` when none is recorded. */
export function activeLayout(): StandLayout {
  const recorded = fs.existsSync(LAYOUT_FILE) ? fs.readFileSync(LAYOUT_FILE, 'utf8').trim() : 'default';
  return isLayout(recorded) ? recorded : 'default';
}

export function recordLayout(layout: StandLayout): void {
  fs.mkdirSync(STATE_DIR, { recursive: true });
  fs.writeFileSync(LAYOUT_FILE, `${layout}\n`);
}

export function activeHosts(): StandHost[] {
  return layoutHosts(activeLayout());
}

/** out/inventory/<name>.yml of the running layout's local inventory, relative to the project. */
export function activeInventory(): string {
  return path.join('out', 'inventory', `${standInventoryName('local', activeLayout())}.yml`);
}
