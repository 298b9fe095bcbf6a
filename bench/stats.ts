// Summary statistics shared by the benchmarks, and the README tables they write.
import * as fs from 'node:fs';

/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Replaces what stands between `<!-- name:begin -->` and `<!-- name:end -->` in `file` with
 * `content`; leaves the file as it is when the markers are missing.
 */
export function replaceBetweenMarkers(file: string, name: string, content: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  if (!text.includes(begin) || !text.includes(end)) {
    return;
  }
  const before = text.slice(0, text.indexOf(begin) + begin.length);
  const after = text.slice(text.indexOf(end));
  fs.writeFileSync(file, `${before}\n${content}\n${after}`);
}
