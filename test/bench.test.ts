// The benchmarks run on demand, not in CI; what they rely on is checked here so that they do
// not rot between runs.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, replaceBetweenMarkers } from '../bench/stats';
import { freePort, request, waitForHttp, waitUntil } from './sample-server/harness';

describe('benchmark helpers', () => {
  test('median of odd and even counts, input left unsorted', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test('replaceBetweenMarkers rewrites only what stands between the markers', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'markers-')), 'README.md');
    fs.writeFileSync(file, 'intro\n<!-- t:begin -->\nold\n<!-- t:end -->\noutro\n');
    replaceBetweenMarkers(file, 't', '| new |');
    expect(fs.readFileSync(file, 'utf8')).toBe('intro\n<!-- t:begin -->\n| new |\n<!-- t:end -->\noutro\n');
    replaceBetweenMarkers(file, 't', '| newer |');
    expect(fs.readFileSync(file, 'utf8')).toBe('intro\n<!-- t:begin -->\n| newer |\n<!-- t:end -->\noutro\n');
  });

  test('replaceBetweenMarkers leaves a file without the markers alone', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'markers-')), 'README.md');
    fs.writeFileSync(file, 'no markers\n<!-- t:begin -->\n');
    replaceBetweenMarkers(file, 't', 'x');
    expect(fs.readFileSync(file, 'utf8')).toBe('no markers\n<!-- t:begin -->\n');
  });
});

test('the minimal node:http target answers like the reference Go server: page, content type, one line per request', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'bench', 'minimal-server.js')], {
    env: { PATH: process.env.PATH!, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', d => out += d);
  try {
    await waitForHttp(port, 10_000);
    const res = await request(port, '/any/path');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toBe('<html><head><title>Hello</title></head><body><h1>World</h1></body><html>');
    await waitUntil(() => out.split('\n').filter(l => l === 'Incoming request').length >= 2, 5_000, 'a line per request');
  } finally {
    child.kill('SIGTERM');
  }
});
