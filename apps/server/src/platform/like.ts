/**
 * A LIKE / ILIKE pattern for "contains this text as typed": its `\`, `%` and `_` escaped (PostgreSQL's default
 * escape character is `\`), so a search for "50%" or "a_b" finds those characters, not any.
 */
export const containing = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
