// Synth cost and template weight of N services, four ways: this library on App Runner and on ECS
// Express Mode (the same props), the alpha construct, and a hand-written L1 with the roles it
// needs. Same machine, same run, interleaved order.
//   npx projen bench:synth            (BENCH_RUNS=5, BENCH_SIZES=1,10,50,200)
// Writes bench/results/synth.json, bench/results/synth.svg and the tables in bench/README.md.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, replaceBetweenMarkers } from './stats';

type Variant = 'ours' | 'express' | 'alpha' | 'l1';
const VARIANTS: Variant[] = ['ours', 'express', 'alpha', 'l1'];
const LABEL: Record<Variant, string> = {
  ours: 'this library', express: 'this library, ECS Express', alpha: 'aws-apprunner-alpha', l1: 'CfnService (L1)',
};
const LIBRARY: Record<Variant, string> = {
  ours: path.join(__dirname, '..', 'lib'),
  express: path.join(__dirname, '..', 'lib'),
  alpha: '@aws-cdk/aws-apprunner-alpha',
  l1: 'aws-cdk-lib/aws-apprunner',
};
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '1,10,50,200').split(',').map(Number);
const ROOT = path.join(__dirname, '..');
const RESULTS = path.join(__dirname, 'results');

interface Run {
  wallMs: number;
  loadLibraryMs: number;
  defineMs: number;
  synthMs: number;
  peakRssMb: number;
}

interface Stats { median: number; min: number; max: number }

function stats(values: number[]): Stats {
  return { median: round(median(values)), min: round(Math.min(...values)), max: round(Math.max(...values)) };
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** One cold synthesis in a fresh node process; wall time as the parent sees it. */
function synthOnce(variant: Variant, n: number, outdir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(__dirname, 'synth-app.js'), variant, String(n), outdir], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', d => out += d);
    child.stderr.on('data', d => err += d);
    child.once('close', code => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) {
        reject(new Error(`${variant} N=${n} exited ${code}: ${err.slice(-2000)}`));
        return;
      }
      const r = JSON.parse(out.trim().split('\n').pop()!);
      resolve({ wallMs, loadLibraryMs: r.loadLibraryMs, defineMs: r.defineMs, synthMs: r.synthMs, peakRssMb: r.peakRssMb });
    });
  });
}

/** The time to `require` the library alone, in a fresh process (aws-cdk-lib's core not preloaded). */
function requireOnce(variant: Variant): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(LIBRARY[variant])});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }).trim());
}

/** Resources by type across the assembly's templates, and their total size. */
function weigh(outdir: string): { byType: Record<string, number>; bytes: number } {
  const byType: Record<string, number> = {};
  let bytes = 0;
  for (const file of fs.readdirSync(outdir).filter(f => f.endsWith('.template.json'))) {
    const text = fs.readFileSync(path.join(outdir, file), 'utf8');
    bytes += Buffer.byteLength(JSON.stringify(JSON.parse(text))); // minified: indentation is not weight
    for (const r of Object.values<any>(JSON.parse(text).Resources ?? {})) {
      byType[r.Type] = (byType[r.Type] ?? 0) + 1;
    }
  }
  return { byType, bytes };
}

/** Least-squares line y = a + b x. */
function fit(xs: number[], ys: number[]): { intercept: number; slope: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  const sxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0);
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const slope = sxy / sxx;
  return { intercept: round(my - slope * mx, 2), slope: round(slope, 3) };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const runs: Record<string, Run[]> = {};
  const weights: Record<string, { byType: Record<string, number>; bytes: number }> = {};
  // Interleaved: every round runs every (variant, N) once, so drift hits all alike, and the
  // variant that starts rotates from round to round (the first process after another N is slower).
  for (let round_ = 0; round_ < RUNS; round_++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round_) % VARIANTS.length]);
    for (const n of SIZES) {
      for (const variant of order) {
        const outdir = path.join(tmp, `${variant}-${n}-${round_}`);
        const run = await synthOnce(variant, n, outdir);
        (runs[`${variant}:${n}`] ??= []).push(run);
        if (round_ === 0) {
          weights[`${variant}:${n}`] = weigh(outdir);
        }
        fs.rmSync(outdir, { recursive: true, force: true });
        process.stdout.write(`round ${round_ + 1}/${RUNS} ${variant} N=${n}: ${run.wallMs.toFixed(0)} ms, ${run.peakRssMb.toFixed(0)} MB\n`);
      }
    }
  }
  const requireMs: Record<Variant, Stats> = {} as any;
  for (const variant of VARIANTS) {
    requireMs[variant] = stats(Array.from({ length: RUNS }, () => requireOnce(variant)));
  }

  const cells = VARIANTS.flatMap(variant => SIZES.map(n => {
    const r = runs[`${variant}:${n}`];
    const w = weights[`${variant}:${n}`];
    const perService: Record<string, number> = {};
    for (const [type, count] of Object.entries(w.byType)) {
      perService[type] = round(count / n, 2);
    }
    return {
      variant,
      n,
      wallMs: stats(r.map(x => x.wallMs)),
      defineMs: stats(r.map(x => x.defineMs)),
      synthMs: stats(r.map(x => x.synthMs)),
      peakRssMb: stats(r.map(x => x.peakRssMb)),
      resources: Object.values(w.byType).reduce((s, c) => s + c, 0),
      resourcesPerService: perService,
      templateBytes: w.bytes,
    };
  }));
  const cell = (variant: Variant, n: number) => cells.find(c => c.variant === variant && c.n === n)!;

  const growth = Object.fromEntries(VARIANTS.map(variant => {
    const xs = SIZES;
    const wall = fit(xs, xs.map(n => cell(variant, n).wallMs.median));
    const rss = fit(xs, xs.map(n => cell(variant, n).peakRssMb.median));
    const bytes = fit(xs, xs.map(n => cell(variant, n).templateBytes));
    // Faster than linear: the cost of the last services added, per service, against the earlier ones.
    const [a, b, c] = SIZES.slice(-3);
    const late = (cell(variant, c).wallMs.median - cell(variant, b).wallMs.median) / (c - b);
    const early = (cell(variant, b).wallMs.median - cell(variant, a).wallMs.median) / (b - a);
    return [variant, {
      wallMsPerService: wall.slope,
      wallMsFixed: wall.intercept,
      peakRssMbPerService: rss.slope,
      templateBytesPerService: bytes.slope,
      lateOverEarlyMsPerService: round(late / early, 2),
    }];
  }));

  // Ratios within a round (same minutes of the machine), then their median.
  const roundRatio = (n: number, other: Variant) => round(median(runs[`ours:${n}`].map((run, i) => run.wallMs / runs[`${other}:${n}`][i].wallMs)), 3);
  const ratios = SIZES.map(n => ({
    n,
    wallVsExpress: roundRatio(n, 'express'),
    wallVsAlpha: roundRatio(n, 'alpha'),
    wallVsL1: roundRatio(n, 'l1'),
    rssVsAlpha: round(cell('ours', n).peakRssMb.median / cell('alpha', n).peakRssMb.median, 3),
    bytesVsAlpha: round(cell('ours', n).templateBytes / cell('alpha', n).templateBytes, 3),
    rolesPerService: Object.fromEntries(VARIANTS.map(v => [v, cell(v, n).resourcesPerService['AWS::IAM::Role'] ?? 0])),
  }));

  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus().length} × ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()} ${os.release()}`,
    node: process.version,
    runs: RUNS,
    sizes: SIZES,
    servicesPerStack: 25,
    alphaVersion: JSON.parse(fs.readFileSync(require.resolve('@aws-cdk/aws-apprunner-alpha/package.json'), 'utf8')).version,
    requireMs,
    cells,
    growth,
    ratios,
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'synth.json'), JSON.stringify(result, null, 2) + '\n');
  fs.writeFileSync(path.join(RESULTS, 'synth.svg'), plot(result));
  updateReadme(result);
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(tables(result));
}

/** A line chart of median wall time against N (hand-written SVG: three lines need no plotting library). */
function plot(result: any): string {
  const W = 640; const H = 360; const L = 60; const B = 40; const T = 30; const R = 150;
  const sizes: number[] = result.sizes;
  const maxY = Math.max(...result.cells.map((c: any) => c.wallMs.max));
  const x = (n: number) => L + (n / Math.max(...sizes)) * (W - L - R);
  const y = (ms: number) => H - B - (ms / maxY) * (H - B - T);
  const colors: Record<Variant, string> = { ours: '#d6336c', express: '#f59f00', alpha: '#1c7ed6', l1: '#495057' };
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="${L}" y="18" font-size="14">Cold synth wall time (median of ${result.runs}, min–max bars) — ${result.date}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
    `<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">services in the app (N)</text>`,
    `<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle">ms</text>`,
  ];
  for (const n of sizes) {
    parts.push(`<text x="${x(n)}" y="${H - B + 16}" text-anchor="middle">${n}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const v = (maxY * i) / 4;
    parts.push(`<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${Math.round(v)}</text>`);
    parts.push(`<line x1="${L}" y1="${y(v)}" x2="${W - R}" y2="${y(v)}" stroke="#eee"/>`);
  }
  VARIANTS.forEach((variant, i) => {
    const cells = result.cells.filter((c: any) => c.variant === variant);
    const points = cells.map((c: any) => `${x(c.n).toFixed(1)},${y(c.wallMs.median).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${colors[variant]}" stroke-width="2" points="${points}"/>`);
    for (const c of cells) {
      parts.push(`<line x1="${x(c.n)}" y1="${y(c.wallMs.min)}" x2="${x(c.n)}" y2="${y(c.wallMs.max)}" stroke="${colors[variant]}"/>`);
      parts.push(`<circle cx="${x(c.n)}" cy="${y(c.wallMs.median)}" r="3" fill="${colors[variant]}"/>`);
    }
    parts.push(`<rect x="${W - R + 12}" y="${T + i * 20}" width="12" height="12" fill="${colors[variant]}"/>`);
    parts.push(`<text x="${W - R + 30}" y="${T + i * 20 + 10}">${LABEL[variant]}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function tables(result: any): string {
  const lines: string[] = [];
  lines.push(`Measured ${result.date} on ${result.machine}, Node ${result.node}; ${result.runs} runs per cell, interleaved; ` +
    `alpha ${result.alphaVersion}; ${result.servicesPerStack} services per stack. Ratios: median over rounds of ours ÷ other in the same round.`, '');
  lines.push('| N | ours wall ms (min–max) | ours on ECS Express wall ms | alpha wall ms | L1 wall ms | ours / Express | ours / alpha | ours / L1 '
    + '| peak RSS MB ours / Express / alpha / L1 | template KB ours / Express / alpha / L1 |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const n of result.sizes) {
    const c = (v: Variant) => result.cells.find((x: any) => x.variant === v && x.n === n);
    const r = result.ratios.find((x: any) => x.n === n);
    const wall = (v: Variant) => `${c(v).wallMs.median} (${c(v).wallMs.min}–${c(v).wallMs.max})`;
    lines.push(`| ${n} | ${wall('ours')} | ${wall('express')} | ${wall('alpha')} | ${wall('l1')} | ${r.wallVsExpress} | ${r.wallVsAlpha} | ${r.wallVsL1} | ` +
      `${VARIANTS.map(v => c(v).peakRssMb.median).join(' / ')} | ${VARIANTS.map(v => round(c(v).templateBytes / 1024)).join(' / ')} |`);
  }
  lines.push('', '| per service (N = 50) | ours | ours on ECS Express | alpha | L1 |', '|---|---|---|---|---|');
  const at50 = (v: Variant) => result.cells.find((x: any) => x.variant === v && x.n === (result.sizes.includes(50) ? 50 : result.sizes[0]));
  const types = [...new Set(VARIANTS.flatMap(v => Object.keys(at50(v).resourcesPerService)))].sort();
  for (const type of types) {
    lines.push(`| ${type} | ${VARIANTS.map(v => at50(v).resourcesPerService[type] ?? 0).join(' | ')} |`);
  }
  lines.push('', '| growth (least squares over N) | ours | ours on ECS Express | alpha | L1 |', '|---|---|---|---|---|');
  for (const [key, label] of [['wallMsPerService', 'wall ms per service'], ['wallMsFixed', 'wall ms fixed'],
    ['peakRssMbPerService', 'peak RSS MB per service'], ['templateBytesPerService', 'template bytes per service'],
    ['lateOverEarlyMsPerService', 'ms/service of the last step ÷ the one before (1 = linear)']]) {
    lines.push(`| ${label} | ${VARIANTS.map(v => result.growth[v][key]).join(' | ')} |`);
  }
  lines.push('', `| require() alone, ms (median of ${result.runs}) | ${VARIANTS.map(v => `${LABEL[v]}: ${result.requireMs[v].median}`).join(' · ')} |`);
  return lines.join('\n');
}

function updateReadme(result: any): void {
  replaceBetweenMarkers(path.join(__dirname, 'README.md'), 'synth-results', tables(result));
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
