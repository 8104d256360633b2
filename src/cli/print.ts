/** The one way the CLI talks on stderr: "mandel-par: " and one line. */
import { oneLine } from '../errors.js';

export function printLine(line: string): void {
  process.stderr.write(`mandel-par: ${oneLine(line)}\n`);
}
