// Sends CRASH_SEQUENCE (integ/crash-sequence.ts) to a service on 127.0.0.1, with the same
// expectations the deployed integration test asserts, checked by the same matcher.
import { Response, request } from './process';
import { HttpStep, checkAnswer } from '../integ/crash-sequence';

/** Locally a crashed worker is replaced in milliseconds: retry often, within the step's bound. */
const LOCAL_RETRY_MS = 250;

export interface StepResult {
  readonly name: string;
  readonly status?: number;
  readonly attempts: number;
  readonly ms: number;
}

export async function runSequence(port: number, steps: HttpStep[]): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    const started = Date.now();
    const deadline = started + (step.withinSeconds ?? 0) * 1000;
    let attempts = 0;
    let last: Response | undefined;
    let problem: string | undefined;
    for (;;) {
      attempts++;
      try {
        last = await request(port, step.path, {
          method: step.method,
          body: step.body ? JSON.stringify(step.body) : undefined,
          headers: step.body ? { 'content-type': 'application/json' } : undefined,
          timeoutMs: 15_000,
        });
        problem = step.expect ? checkAnswer(step, last) : undefined;
      } catch (err: any) {
        last = undefined;
        // A crash call may get no answer at all: that is what it is for.
        problem = step.expect ? `no answer: ${err.code ?? err.message}` : undefined;
      }
      if (!problem || Date.now() + LOCAL_RETRY_MS > deadline) break;
      await new Promise(r => setTimeout(r, LOCAL_RETRY_MS));
    }
    if (problem) {
      const within = step.withinSeconds ? ` within ${step.withinSeconds} s (${attempts} attempts)` : '';
      throw new Error(`step "${step.name}" (${step.method} ${step.path})${within}: ${problem}`);
    }
    results.push({ name: step.name, status: last?.status, attempts, ms: Date.now() - started });
  }
  return results;
}
