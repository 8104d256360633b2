/**
 * Text written into another language is escaped for that language, here and nowhere else: HTML and XML (text and
 * attribute values alike), JSON inside an HTML script element, and words of a POSIX shell command. Names and
 * options come from users (an output file called `a"b<c>.png` is a valid name), so none may end what encloses it.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** @example escapeHtml('a "b" <c>') // 'a &quot;b&quot; &lt;c&gt;' */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * Text content of an XML element (never an attribute value: use escapeHtml there): `&`, `<` and `>` are all that
 * can end it or start markup, so quotes stay as they are, keeping the embedded JSON readable.
 */
export function escapeXmlText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]);
}

/** Reads back XML text: the five predefined entities. */
export function unescapeXml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
  return text.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, name: string) => named[name]);
}

/**
 * A value as JSON that can stand inside `<script>`: no `</script>` or `<!--` can appear in it (every `<` is
 * \u003c), nor the two line separators that end a JavaScript string in older engines.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** One word of a POSIX shell command: as it is when it is plainly safe, otherwise in single quotes. */
export function shellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** @example shellCommand(['mandel-par', '-o', 'my picture.png']) // "mandel-par -o 'my picture.png'" */
export function shellCommand(words: string[]): string {
  return words.map(shellWord).join(' ');
}
