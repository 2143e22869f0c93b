// A folder of the user's own (roles-src/ and nothing else) becomes a project the first time it is
// built or imported into: it gets the DSL its role sources import (`../../dsl/index.js`) and the
// TypeScript settings the build reads. What is added is said, never done silently.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/python-env.js';

/** Adds what `root` lacks to be built (dsl/, tsconfig.sources.json); returns what it added. */
export function ensureProjectFolder(root: string): string[] {
  if (path.resolve(root) === PROJECT_ROOT) return [];
  fs.mkdirSync(root, { recursive: true });
  const added: string[] = [];
  for (const entry of ['dsl', 'tsconfig.sources.json']) {
    if (fs.existsSync(path.join(root, entry))) continue;
    fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(root, entry), { recursive: true });
    added.push(entry);
  }
  return added;
}
