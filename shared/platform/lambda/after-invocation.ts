import { logger } from '../logger.js';

// Work that must happen at the end of every invocation, whatever the handler did: e.g. closing
// the INWX session (a login per instance that is never closed counts against INWX's session
// limit, 2502). Clients register it where they open what needs closing; every pipeline runs it.

const cleanups = new Set<() => Promise<void>>();

export function afterEachInvocation(cleanup: () => Promise<void>): void {
  cleanups.add(cleanup);
}

/** Runs every cleanup; a failing one is logged, never turned into the invocation's error. */
export async function runAfterInvocation(): Promise<void> {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (err) {
      logger.warn('cleanup after the invocation failed', { err });
    }
  }
}
