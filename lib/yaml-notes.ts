// Layout notes for the YAML writer, carried on rendered values under a symbol so that schema
// validation and every other reader of the data never see them: a comment above a task, a
// `# noqa` on its name line, a blank line before it.
export const YAML_NOTES = Symbol('yaml notes');

export interface YamlNotes {
  /** `#` lines written above the mapping. */
  commentBefore?: string;
  /** commentBefore's lines are wrapped only past the line limit (an imported role's, as it wrote them). */
  commentAsWritten?: boolean;
  /** `#` lines at the end of the document (only the document's own value has them). */
  commentAfter?: string;
  /** A comment at the end of the mapping's `name:` line (where ansible-lint reads `# noqa`). */
  nameComment?: string;
  /** A blank line before the mapping (between tasks, between plays). */
  spaceBefore?: boolean;
  /** `#` lines above some of the mapping's keys (a variable's description above its default), each after a blank line. */
  keyComments?: Readonly<Record<string, string>>;
}

export function annotate<T extends object>(value: T, notes: YamlNotes): T {
  const had = (value as { [YAML_NOTES]?: YamlNotes })[YAML_NOTES];
  Object.defineProperty(value, YAML_NOTES, { value: { ...had, ...notes }, enumerable: false, configurable: true });
  return value;
}

export function notesOf(value: unknown): YamlNotes | undefined {
  return value && typeof value === 'object' ? (value as { [YAML_NOTES]?: YamlNotes })[YAML_NOTES] : undefined;
}

/** Items of a list of tasks or plays: a blank line between each and the next. */
export function spaced<T extends object>(items: T[]): T[] {
  items.forEach((item, i) => {
    if (i > 0) annotate(item, { spaceBefore: true });
  });
  return items;
}
