/** Text written into HTML, XML, JSON in a script, and shell commands: escaped for each, whatever a name holds. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeXmlText,
  jsonForScript,
  shellCommand,
  shellWord,
  unescapeXml,
} from '../dist/src/outputs/escape.js';

const HOSTILE = [
  'plain-name.png',
  'my picture.png',
  `it's "quoted" & <b>bold</b>.png`,
  '</script><script>alert(1)</script>',
  '<!-- comment -->',
  '$(rm -rf ~); `id`; echo $HOME \\ !',
  'line\nbreak\ttab',
  'ünïcödé\u2028sep\u2029',
  "'",
  '',
];

describe('escaping', () => {
  it.each(HOSTILE)('HTML: %j cannot end an attribute or open markup', (text) => {
    const escaped = escapeHtml(text);
    expect(escaped).not.toMatch(/[<>"']/);
    expect(unescapeXml(escaped)).toBe(text);
  });

  it.each(HOSTILE)('XML text: %j cannot open markup, and reads back', (text) => {
    const escaped = escapeXmlText(text);
    expect(escaped).not.toMatch(/[<>]/);
    expect(escaped.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    expect(unescapeXml(escaped)).toBe(text);
  });

  it.each(HOSTILE)('JSON in a script: %j cannot close it, and evaluates to itself', (text) => {
    const json = jsonForScript({ name: text });
    expect(json).not.toMatch(/<|\u2028|\u2029/);
    expect(JSON.parse(json)).toEqual({ name: text });
    expect(new Function(`return ${json};`)()).toEqual({ name: text });
  });

  it.each(HOSTILE)('shell: %j is one word that sh reads back exactly', (text) => {
    const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${shellWord(text)}`], { encoding: 'utf8' });
    expect(out).toBe(text);
  });

  it('leaves plainly safe words bare, so commands stay readable', () => {
    expect(shellCommand(['mandel-par', '--center=-0.5,0.1', '-o', 'out/pic.png'])).toBe(
      'mandel-par --center=-0.5,0.1 -o out/pic.png',
    );
    expect(shellCommand(['mandel-par', '-o', 'my picture.png'])).toBe("mandel-par -o 'my picture.png'");
  });
});
