// The type check on its own thread: first the source list (so the build can emit and evaluate
// the sources meanwhile), then the errors, or null when the sources are clean.
import { parentPort, workerData } from 'node:worker_threads';
import { TypeScriptError } from './errors.js';
import { readSourcesConfig, typeErrors } from './typecheck.js';

export type TypeCheckMessage = { files: string[] } | { errors: string | null };

const { root } = workerData as { root: string };
const post = (m: TypeCheckMessage) => {
  parentPort!.postMessage(m);
};
try {
  const config = readSourcesConfig(root);
  post({ files: config.fileNames });
  post({ errors: typeErrors(root, config) ?? null });
} catch (e) {
  // A tsconfig TypeScript cannot read: said like any type error (an Error loses its class here).
  if (!(e instanceof TypeScriptError)) throw e;
  post({ errors: e.message });
}
