// Molecule's `stand` scenario: creates the local stand, leaves a marker on every host, checks it
// and destroys the stand. Runs after five-hosts, whose hosts it takes down with the rest.
import { beforeAll, expect, it } from 'vitest';
import { buildForMolecule, moleculeTest } from '../helpers/molecule.js';
import { standCli } from '../helpers/stand.js';

beforeAll(buildForMolecule);

it('molecule test -s stand creates the stand and destroys it', async () => {
  expect(await moleculeTest('stand')).toMatch(/destroy(\]|:) Executed: Successful/);
  // Every host of the stand is down afterwards, the two five-hosts added included.
  const status = JSON.parse((await standCli('status', '--json')).stdout) as {
    hosts: { name: string; state: string }[];
  };
  expect(status.hosts.filter((h) => h.state !== 'down')).toEqual([]);
});
