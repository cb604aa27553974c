import type { SimResponse } from '../types.js';
import { serializeMethodResponse } from './xml-rpc.js';

// DomRobot's answer envelope: every call, failed or not, is HTTP 200 with {code, msg, reason?,
// resData?, svTRID}; codes below 2000 are successes.

const MESSAGES: Record<number, string> = {
  1000: 'Command completed successfully',
  1001: 'Command completed successfully; action pending',
  1500: 'Command completed successfully; ending session',
  2000: 'Unknown command',
  2003: 'Required parameter missing',
  2004: 'Parameter value range error',
  2005: 'Parameter value syntax error',
  2200: 'Authentication error',
  2300: 'Object pending transfer',
  2302: 'Object exists',
  2303: 'Object does not exist',
  2400: 'Command failed',
  2502: 'Session limit exceeded; server closing connection',
};

export type Params = Record<string, unknown>;

export interface Result {
  code: number;
  msg?: string;
  reason?: string;
  resData?: Params;
}

/** Thrown by a method to answer with a failure code. */
export class DomRobotFailure extends Error {
  constructor(
    readonly code: number,
    readonly reason?: string,
  ) {
    super(MESSAGES[code] ?? 'Command failed');
  }
}

export function failure(code: number, reason?: string): Result {
  return reason ? { code, reason } : { code };
}

/** Builds responses numbered by their own svTRID counter, as each INWX server does. */
export function createResponder(): (r: Result, headers?: Record<string, string>) => SimResponse {
  let trid = 0;
  return (r, headers = {}) => {
    const body: Params = { code: r.code, msg: r.msg ?? MESSAGES[r.code] ?? 'Command failed' };
    if (r.reason) body.reason = r.reason;
    if (r.resData) body.resData = r.resData;
    body.svTRID = `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${++trid}`;
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=UTF-8', ...headers },
      body: serializeMethodResponse(body),
    };
  };
}
