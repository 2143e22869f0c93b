// The Debian mirrors the machine's own apt sources name: the base image is built from the first
// bookworm one, and the package cache fetches from these and from no other host.
import fs from 'node:fs';
import path from 'node:path';

export interface Mirror {
  /** As the sources write it, e.g. http://deb.debian.org/debian */
  uri: string;
  scheme: 'http' | 'https';
  /** Lower case, without the port: what apt sends as Host and nginx reads as $host. */
  host: string;
  port: number;
}

/** The text of every apt sources file of the machine. */
function sourcesTexts(): string[] {
  const dir = '/etc/apt/sources.list.d';
  const texts: string[] = [];
  if (fs.existsSync('/etc/apt/sources.list')) texts.push(fs.readFileSync('/etc/apt/sources.list', 'utf8'));
  if (fs.existsSync(dir))
    for (const f of fs.readdirSync(dir).sort())
      if (f.endsWith('.sources') || f.endsWith('.list')) texts.push(fs.readFileSync(path.join(dir, f), 'utf8'));
  return texts;
}

/** Every (URI, suites) pair of the sources, deb822 stanzas and one-line entries alike. */
export function sourceEntries(texts: readonly string[]): { uri: string; suites: string[] }[] {
  const out: { uri: string; suites: string[] }[] = [];
  for (const text of texts) {
    for (const stanza of text.split(/\n\s*\n/)) {
      const uris = /^URIs:\s*(.+)$/m.exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
      const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
      for (const uri of uris) out.push({ uri, suites });
    }
    for (const m of text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s/gm))
      out.push({ uri: m[1]!, suites: [m[2]!] });
  }
  return out;
}

export function parseMirror(uri: string): Mirror {
  const u = new URL(uri);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`apt source ${uri}: the stand's package cache reads http and https mirrors only`);
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  return { uri, scheme, host: u.hostname.toLowerCase(), port: u.port ? Number(u.port) : scheme === 'https' ? 443 : 80 };
}

const bookworm = (suites: readonly string[]) => suites.some((s) => s === 'bookworm' || s.startsWith('bookworm-'));

/** The machine's bookworm mirrors, one per host, in the sources' order. */
export function mirrorsOf(texts: readonly string[]): Mirror[] {
  const seen = new Map<string, Mirror>();
  for (const e of sourceEntries(texts)) {
    if (!bookworm(e.suites)) continue;
    const m = parseMirror(e.uri);
    if (!seen.has(m.host)) seen.set(m.host, m);
  }
  return [...seen.values()];
}

export function machineMirrors(): Mirror[] {
  const mirrors = mirrorsOf(sourcesTexts());
  if (!mirrors.length)
    throw new Error(
      "No Debian bookworm mirror found in /etc/apt/sources.list{,.d}: the stand reads its packages from the machine's own mirror.",
    );
  return mirrors;
}

/** The first source of suite `bookworm` itself: where debootstrap builds the base image from. */
export function machineMirror(): string {
  const entry = sourceEntries(sourcesTexts()).find((e) => e.suites.includes('bookworm'));
  if (!entry)
    throw new Error(
      "No Debian bookworm mirror found in /etc/apt/sources.list{,.d}: the stand builds its base image from the machine's own mirror.",
    );
  return entry.uri;
}
