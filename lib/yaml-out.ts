// Every byte of YAML the compiler writes goes through here: YAML 1.1 rules (what PyYAML and so
// Ansible read), so strings such as "yes", "0644" or "on" are quoted and stay strings.
import { Document, isMap, isScalar, isSeq, Scalar, visit, type Node, type Tags } from 'yaml';
import { notesOf } from './yaml-notes.js';

// Tabs and other control characters, which plain scalars cannot carry as PyYAML reads them.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const CONTROL = /[\t\u0000-\u0008\u000b-\u001f\u007f]/;

/**
 * A JavaScript Map (a mapping keyed by numbers, `10: "3.1"`) is written as a plain mapping with its
 * keys' types: the YAML 1.1 schema would write it as an `!!omap` list of pairs.
 */
const withoutOmap = (tags: Tags): Tags =>
  tags.filter((t) => (typeof t === 'string' ? t !== 'omap' : t.tag !== 'tag:yaml.org,2002:omap'));

/** `comment` lands as `#` lines above the document. */
export function toYaml(value: unknown, comment?: string): string {
  const doc = new Document(value, { version: '1.1', customTags: withoutOmap });
  if (comment) doc.commentBefore = asComment(comment);
  doc.directives!.docStart = true;
  visit(doc, {
    Scalar(_, node: Scalar) {
      // PyYAML rejects tabs in plain scalars and reads a lone "=" as a special tag.
      // A line ending in spaces would be written as a block scalar line with trailing spaces
      // (ansible-lint's yaml[trailing-spaces]): double quotes keep them visible and the value exact.
      if (
        typeof node.value === 'string' &&
        (CONTROL.test(node.value) || node.value === '=' || / +\n/.test(node.value))
      ) {
        node.type = Scalar.QUOTE_DOUBLE;
      } else if (typeof node.value === 'string' && isLongExpression(node.value)) {
        node.type = Scalar.BLOCK_FOLDED;
      }
    },
  });
  applyNotes(value, doc.contents);
  const after = notesOf(value)?.commentAfter;
  if (after) doc.comment = asComment(after);
  const options = { lineWidth: LINE_WIDTH, minContentWidth: 40, indentSeq: true };
  const text = doc.toString(options);
  // The yaml package leaves some long plain scalars whole (seen with `. ` and `, ` in one sentence:
  // a 160-column line, yaml[line-length]). Those alone are written again double-quoted, which
  // folds where it must and reads back as the same text.
  const long = text.split('\n').filter((l) => l.length > LINE_WIDTH);
  if (!long.length) return text;
  visit(doc, {
    Scalar(_, node: Scalar) {
      if (
        typeof node.value === 'string' &&
        node.value.includes(' ') &&
        (node.type === undefined || node.type === Scalar.PLAIN) &&
        long.some((l) => l.includes(node.value as string))
      ) {
        node.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  return doc.toString(options);
}

const LINE_WIDTH = 150;

/**
 * A Jinja expression too long for one line is written as a folded block scalar (`>-`): it reads as
 * the expression, without the quotes and escaped backslashes a folded double-quoted string needs.
 * A fold stands for the one space it replaced, as in the double-quoted form, so YAML reads back the
 * same text; texts with runs of spaces, line breaks or edge spaces keep their quoted form.
 */
function isLongExpression(text: string): boolean {
  return (
    text.length > LINE_WIDTH - 40 &&
    /\{[{%]/.test(text) &&
    !text.includes('\n') &&
    text === text.trim() &&
    !/ {2}/.test(text)
  );
}

/**
 * Comment lines, wrapped at 100 columns so that long descriptions read (and pass yaml[line-length]).
 * An imported role's comment above a task keeps its lines, wrapped only past the line limit, so a
 * second import reads the same lines.
 */
const asComment = (text: string, width = 100) =>
  text
    .split('\n')
    .flatMap((l) => wrap(l.trimEnd(), width))
    .map((l) => (l ? ` ${l}` : ''))
    .join('\n');

function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) break;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  return [...out, rest];
}

/** Walks the data and its YAML nodes side by side, placing the notes render steps attached. */
function applyNotes(value: unknown, node: Node | null): void {
  if (!node || !value || typeof value !== 'object') return;
  const notes = notesOf(value);
  if (notes) {
    if (notes.spaceBefore) node.spaceBefore = true;
    if (notes.commentBefore)
      node.commentBefore = asComment(notes.commentBefore, notes.commentAsWritten ? LINE_WIDTH - 2 : 100);
    const name = isMap(node) ? node.get('name', true) : undefined;
    if (notes.nameComment && isScalar(name)) name.comment = ` ${notes.nameComment}`;
    if (notes.keyComments && isMap(node)) {
      node.items.forEach((pair, i) => {
        const text = isScalar(pair.key) ? notes.keyComments![String(pair.key.value)] : undefined;
        if (!text || !isScalar(pair.key)) return;
        pair.key.commentBefore = asComment(text);
        if (i > 0) pair.key.spaceBefore = true;
      });
    }
  }
  if (Array.isArray(value) && isSeq(node))
    value.forEach((v, i) => {
      applyNotes(v, node.items[i] as Node);
    });
  else if (isMap(node)) for (const [k, v] of Object.entries(value)) applyNotes(v, node.get(k, true) as Node);
}
