export const str = (o) => ({ type: 'str', ...o });
export const int = (o) => ({ type: 'int', ...o });
export const bool = (o) => ({ type: 'bool', ...o });
export const path = (o) => ({ type: 'path', ...o });
/** A list; its default may be a Jinja expression that yields one (e.g. from the inventory). */
export const list = (o) => ({ type: 'list', ...o });
export const dict = (o) => ({ type: 'dict', ...o });
/** A string restricted to choices; the literal union becomes the TypeScript type. */
export const choice = (choices, o) => ({ type: 'str', choices, ...o });
