/** Small helpers the benchmarks share. */
import { readFileSync } from 'node:fs';

/** Peak resident memory (VmHWM) of a live process in MB, or null when it cannot be read. */
export function peakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}
