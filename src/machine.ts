/** The machine a measurement ran on, for reports and benchmarks. */
import { availableParallelism, cpus, totalmem } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryBytes: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** @example machineLine() // "AMD EPYC, 2 cores available, 24 GiB, Node v20.20.2, linux-x64" */
export function machineLine(m: MachineInfo = machineInfo()): string {
  const memory = (m.memoryBytes / 2 ** 30).toFixed(0);
  return `${m.cpu}, ${m.cores} cores available, ${memory} GiB, Node ${m.node}, ${m.platform}`;
}
