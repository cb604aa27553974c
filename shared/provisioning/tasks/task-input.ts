import * as z from 'zod';

// What the provisioning state machines pass between tasks. Polling tasks carry `poll`; it resets
// when the phase changes or the execution was redriven (so a redrive gets a fresh bound).

export const projectInput = z.object({ projectId: z.uuid() });

export const pollState = z.object({
  phase: z.enum(['deployment', 'health']).optional(),
  attempt: z.number().int().min(0).default(0),
  redriveCount: z.number().int().min(0).default(0),
  done: z.boolean().default(false),
  waitSeconds: z.number().int().min(0).default(0),
});
export type PollState = z.infer<typeof pollState>;

export const pollInput = z.object({
  projectId: z.uuid(),
  poll: pollState.default({ attempt: 0, redriveCount: 0, done: false, waitSeconds: 0 }),
  redriveCount: z.number().int().min(0).nullish(),
});
export type PollInput = z.infer<typeof pollInput>;

export interface PollOutput {
  projectId: string;
  poll: PollState;
}

/** The attempt number this poll counts as, starting afresh for a new phase or a new redrive. */
export function currentAttempt(input: PollInput, phase: 'deployment' | 'health'): number {
  const redrive = input.redriveCount ?? 0;
  if (input.poll.phase !== phase || input.poll.redriveCount !== redrive) return 1;
  return input.poll.attempt + 1;
}
