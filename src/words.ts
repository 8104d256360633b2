/**
 * Counts in words, for the lines the program says: "1 thread", "2 threads".
 *
 * @example counted(1, 'task') // "1 task"
 */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
