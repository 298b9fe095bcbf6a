// The sample server's settings, read as the server reads them.
import * as os from 'node:os';
import * as path from 'node:path';
import { SAMPLE_SERVER_DIR } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readConfig, cgroupMemoryMb } = require(path.join(SAMPLE_SERVER_DIR, 'lib', 'config.js'));

describe('the memory the heap limits come from', () => {
  test('INSTANCE_MEMORY_MB first (the construct sets it from `memory`)', () => {
    expect(readConfig({ INSTANCE_MEMORY_MB: '2048', WEB_CONCURRENCY: '2' })).toMatchObject({ memoryMb: 2048, heapLimitMb: 512 });
  });

  test('never the host\'s memory: the cgroup limit, else 1 GB', () => {
    const config = readConfig({ WEB_CONCURRENCY: '2' });
    const hostMb = Math.floor(os.totalmem() / 1048576);
    expect(config.memoryMb).toBeLessThan(hostMb);
    expect(config.memoryMb).toBe(cgroupMemoryMb() ?? 1024);
  });

  test.each([
    ['a cgroup v2 limit', { '/sys/fs/cgroup/memory.max': String(512 * 1048576) }, 512],
    ['cgroup v2 without a limit, v1 with one', { '/sys/fs/cgroup/memory.max': 'max', '/sys/fs/cgroup/memory/memory.limit_in_bytes': String(768 * 1048576) }, 768],
    ['v1 without a limit', { '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712' }, undefined],
    ['no cgroup files', {}, undefined],
  ])('%s', (_name, files: Record<string, string>, expected) => {
    const read = (file: string) => {
      if (!(file in files)) throw new Error('ENOENT');
      return files[file];
    };
    expect(cgroupMemoryMb(read)).toBe(expected);
  });
});
