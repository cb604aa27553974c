import { describe, expect, it } from 'vitest';
import {
  DEPLOYMENT_POLL,
  HEALTH_POLL,
  isExhausted,
  nextWaitSeconds,
  type PollSchedule,
} from '../../../shared/provisioning/poll-schedule.js';

const waitsUntilExhausted = (schedule: PollSchedule): number[] => {
  const waits: number[] = [];
  for (let attempt = 1; !isExhausted(schedule, attempt); attempt++)
    waits.push(nextWaitSeconds(schedule, attempt));
  return waits;
};

describe('nextWaitSeconds', () => {
  it('starts with the first wait and doubles it after each unsuccessful poll', () => {
    // Act
    const waits = [1, 2, 3].map((attempt) => nextWaitSeconds(DEPLOYMENT_POLL, attempt));

    // Assess
    expect(waits).toEqual([10, 20, 40]);
  });

  it('never waits longer than the cap', () => {
    // Act
    const waits = [4, 5, 10, 39, 1000].map((attempt) => nextWaitSeconds(DEPLOYMENT_POLL, attempt));

    // Assess
    expect(waits).toEqual([60, 60, 60, 60, 60]);
  });

  it('grows the health poll from 5 seconds to its cap', () => {
    // Act
    const waits = [1, 2, 3, 4, 5, 6].map((attempt) => nextWaitSeconds(HEALTH_POLL, attempt));

    // Assess
    expect(waits).toEqual([5, 10, 20, 40, 60, 60]);
  });

  it('treats an attempt number below 1 as the first attempt', () => {
    // Act
    const wait = nextWaitSeconds(DEPLOYMENT_POLL, 0);

    // Assess
    expect(wait).toBe(10);
  });

  it('never grows the wait as the attempts go on, only up to the cap', () => {
    // Prepare
    const schedule: PollSchedule = { firstWaitSeconds: 3, maxWaitSeconds: 100, maxAttempts: 20 };

    // Act
    const waits = waitsUntilExhausted(schedule);

    // Assess
    expect(waits.every((w, i) => i === 0 || w >= waits[i - 1]!)).toBe(true);
    expect(Math.max(...waits)).toBe(100);
  });
});

describe('isExhausted', () => {
  it('gives up at the maximum number of attempts', () => {
    // Act
    const before = isExhausted(DEPLOYMENT_POLL, DEPLOYMENT_POLL.maxAttempts - 1);
    const at = isExhausted(DEPLOYMENT_POLL, DEPLOYMENT_POLL.maxAttempts);
    const after = isExhausted(DEPLOYMENT_POLL, DEPLOYMENT_POLL.maxAttempts + 1);

    // Assess
    expect(before).toBe(false);
    expect(at).toBe(true);
    expect(after).toBe(true);
  });

  it.each([
    ['deployment', DEPLOYMENT_POLL],
    ['health', HEALTH_POLL],
  ])(
    'lets the %s loop give up within an hour and far below the execution-history limit',
    (_name, schedule) => {
      // Act
      const waits = waitsUntilExhausted(schedule);
      const totalSeconds = waits.reduce((sum, w) => sum + w, 0);

      // Assess: about ten history events per Wait → Task → Choice round, 25,000 allowed.
      expect(totalSeconds).toBeLessThan(3600);
      expect(waits.length * 10).toBeLessThan(25_000);
    },
  );
});
