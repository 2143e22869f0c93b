// Writes out/ atomically: everything goes to a sibling folder first, which replaces out/ only
// when complete, so a failed build leaves the previous out/ as it was.
import fs from 'node:fs';
import path from 'node:path';

export function writeTreeAtomically(
  outDir: string,
  files: ReadonlyMap<string, string | Buffer>,
  emptyDirs: readonly string[] = [],
): void {
  const tmp = `${outDir}.tmp-${process.pid}`;
  const old = `${outDir}.old-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    for (const d of emptyDirs) fs.mkdirSync(path.join(tmp, d), { recursive: true });
    for (const [rel, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      const target = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content, { mode: 0o644 });
    }
    if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
    fs.renameSync(tmp, outDir);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(outDir) && fs.existsSync(old)) fs.renameSync(old, outDir);
    throw e;
  }
  fs.rmSync(old, { recursive: true, force: true });
}
