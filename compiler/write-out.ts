// Writes out/ atomically: everything goes to a sibling folder first, which replaces out/ only
// when complete, so a failed build leaves the previous out/ as it was. Staged and committed
// apart: the build stages the tree while the type check still runs, and commits it once it passed.
import fs from 'node:fs';
import path from 'node:path';

export interface StagedTree {
  /** Puts the staged tree in place of out/. */
  commit(): void;
  /** Removes the staged tree; out/ stays as it was. */
  discard(): void;
}

export function stageTree(
  outDir: string,
  files: ReadonlyMap<string, string | Buffer>,
  emptyDirs: readonly string[] = [],
  /** Symbolic links: path in out/ -> the target they point to (relative, so they move with out/). */
  links: ReadonlyMap<string, string> = new Map(),
): StagedTree {
  const tmp = `${outDir}.tmp-${process.pid}`;
  const old = `${outDir}.old-${process.pid}`;
  const discard = () => {
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  discard();
  try {
    for (const d of emptyDirs) fs.mkdirSync(path.join(tmp, d), { recursive: true });
    for (const [rel, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      const target = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content, { mode: 0o644 });
    }
    for (const [rel, to] of [...links].sort(([a], [b]) => a.localeCompare(b))) {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.symlinkSync(to, path.join(tmp, rel));
    }
  } catch (e) {
    discard();
    throw e;
  }
  const commit = () => {
    try {
      if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
      fs.renameSync(tmp, outDir);
    } catch (e) {
      discard();
      if (!fs.existsSync(outDir) && fs.existsSync(old)) fs.renameSync(old, outDir);
      throw e;
    }
    fs.rmSync(old, { recursive: true, force: true });
  };
  return { commit, discard };
}
