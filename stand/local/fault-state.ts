// What a fault left on a stand host, read off this machine: a frozen cgroup (stalled) or its link
// to the bridge down (cut off). Apart from faults.ts so that the stand's status reads it without
// importing the faults, which need the stand to start hosts.
import fs from 'node:fs';
import path from 'node:path';
import type { StandHost } from '../../inventories/stand.js';
import { paths } from './paths.js';

/** The cgroup v2 directory that holds every process of the host (nspawn, its systemd, services). */
export const unifiedCgroup = (h: StandHost) => paths.cgroupDirs(h.name)[1]!;

/** The host's end of its veth link on the machine's side. */
export const hostLink = (h: StandHost) => `vb-${h.name}`;

export function hostStalled(h: StandHost): boolean {
  const f = path.join(unifiedCgroup(h), 'cgroup.freeze');
  return fs.existsSync(f) && fs.readFileSync(f, 'utf8').trim() === '1';
}

export function hostCutOff(h: StandHost): boolean {
  const f = `/sys/class/net/${hostLink(h)}/flags`;
  return fs.existsSync(f) && (Number(fs.readFileSync(f, 'utf8').trim()) & 1) === 0;
}
