// The files under a folder, for the build and the importer alike (a role's templates/, files/ and
// plugin folders).
import fs from 'node:fs';
import path from 'node:path';

/** Files under `dir`, subfolders included, as sorted '/'-separated relative paths; none when absent. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}
