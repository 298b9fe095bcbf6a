// The task sizes Fargate accepts (up to 4 vCPU, the largest App Runner size): CPU units and the
// memory (MiB) each allows. Source: the ECS developer guide's task size table (Fargate), as
// ../shared/ECS_EXPRESS_FACTS.md quotes it. Every App Runner CPU/memory pair is one of them.
const FARGATE_MEMORY: { [cpu: number]: number[] } = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192),
  2048: range(4096, 16384),
  4096: range(8192, 30720),
};

function range(from: number, to: number): number[] {
  const sizes: number[] = [];
  for (let mb = from; mb <= to; mb += 1024) sizes.push(mb);
  return sizes;
}

/** Why `cpu` units with `memory` MiB is no Fargate task size, or undefined when it is one. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
  const allowed = FARGATE_MEMORY[cpu];
  if (!allowed) {
    return `${cpu} CPU units is no Fargate task size; Fargate takes ${Object.keys(FARGATE_MEMORY).join(', ')}`;
  }
  if (!allowed.includes(memory)) {
    const shown = allowed.length > 4 ? `${allowed[0]} to ${allowed[allowed.length - 1]} in steps of 1024` : allowed.join(', ');
    return `${memory} MiB is not a Fargate memory size for ${cpu} CPU units; with ${cpu} it takes ${shown} MiB`;
  }
  return undefined;
}
