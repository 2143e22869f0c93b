// The node flags `npm run build` runs the compiler with (package.json's build script): V8's
// tuning for a short run (docs/run-times.md). Read from there by whatever else starts the compiler
// and should time or run it as a build does (bench:build, the compiler tier's builds).
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './python-env.js';

export function buildNodeFlags(): string[] {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const flags = /^node ((?:--\S+ )*)compiler\/launch\.mjs build$/.exec(scripts.build ?? '')?.[1]?.trim();
  if (!flags)
    throw new Error(`package.json's build script is not 'node <flags> compiler/launch.mjs build': ${scripts.build}`);
  return flags.split(' ');
}
