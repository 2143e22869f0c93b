// What a failed step of `npm run main` comes to, in a few lines: each distinct failure message
// Ansible printed (`fatal: [host]: FAILED! => {...}`), with the hosts it came from; else the
// step's error lines, else its last lines. Plain Node (no dependency): the setup step may have
// failed before npm's packages were there.
import fs from 'node:fs';

const [log, step] = process.argv.slice(2);
const text = fs.readFileSync(log, 'utf8');
const section = text.slice(text.lastIndexOf(`\n=== ${step}: `) + 1);
const lines = section.split('\n');
const byMessage = new Map();
for (const line of lines) {
  const m = /^(?:fatal|failed): \[([^\]]+)\](?: => \([^)]*\))?: (?:FAILED!|UNREACHABLE!) => (\{.*\})\s*$/.exec(line);
  if (!m) continue;
  let msg;
  try {
    const r = JSON.parse(m[2]);
    msg = String(r.msg ?? r.stderr ?? r.module_stderr ?? 'failed');
  } catch {
    msg = m[2];
  }
  msg = msg.replaceAll(`on ${m[1]}:`, 'on {host}:').split('\n')[0].slice(0, 600);
  byMessage.set(msg, [...(byMessage.get(msg) ?? []), m[1]]);
}
const out = [...byMessage].map(
  ([msg, hosts]) => `  ${hosts.join(', ')}: ${msg.replaceAll('{host}', hosts.length > 1 ? 'each' : hosts[0])}`,
);
if (!out.length) {
  const errors = lines.filter((l) => /^(ERROR!|\[ERROR\]|error|Error|stand:|build failed|E: |\S+:\d+:\d+: )/.test(l));
  out.push(...(errors.length ? errors : lines.filter(Boolean)).slice(-12).map((l) => `  ${l}`));
}
console.log(out.join('\n'));
