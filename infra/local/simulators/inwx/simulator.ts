import { type Fault, TIMEOUT_FAULT_MS } from '../faults.js';
import { type SimRequest, type SimResponse, stall } from '../types.js';
import { contactMethods } from './contacts.js';
import { domainMethods, domainView, envSeconds } from './domains.js';
import { createResponder, DomRobotFailure, failure, type Params } from './domrobot.js';
import type { InwxSimDomainView, InwxSimulator, InwxSimulatorOptions } from './model.js';
import { normalise } from './names.js';
import { nameserverMethods } from './nameserver.js';
import { isRecord } from './params.js';
import { createSessions } from './sessions.js';
import { openStore } from './store.js';
import { parseMethodCall } from './xml-rpc.js';

// INWX DomRobot XML-RPC simulator: methodCall in, methodResponse {code, msg, resData} out, with a
// `domrobot` session cookie like the real API. Shapes follow the DomRobot 2.3.6 docs and INWX's clients.

export function createInwxSimulator(opts: InwxSimulatorOptions): InwxSimulator {
  const now = opts.now ?? Date.now;
  const registrationSeconds = opts.registrationSeconds ?? envSeconds('VRS_SIM_REGISTRATION_SECONDS', 1);
  const transferSeconds = opts.transferSeconds ?? envSeconds('VRS_SIM_TRANSFER_SECONDS', 5);
  const sessions = createSessions({
    maxSessions: opts.maxSessions ?? 10,
    idleMs: (opts.sessionIdleSeconds ?? 300) * 1000,
    tfaSecret: opts.tfaSecret,
    now,
  });
  const store = openStore(opts.persistPath, now);
  const { state } = store;
  const respond = createResponder();
  const methods = {
    ...nameserverMethods(store),
    ...contactMethods(store),
    ...domainMethods(store, {
      now,
      registrationMs: registrationSeconds * 1000,
      transferMs: transferSeconds * 1000,
    }),
  };
  const calls: Record<string, number> = {};

  // Faults are matched by method name, so the call is parsed first; transport faults answer in HTTP,
  // `error` in DomRobot's own code (2400 unless the fault names one). An `afterEffect` fault lets
  // the call do its work first and only then replaces the answer.
  const handle = async (req: SimRequest, signal: AbortSignal): Promise<SimResponse> => {
    if (req.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: 'Method Not Allowed' };
    let call: { method: string; params: unknown[] };
    try {
      call = await parseMethodCall(req.body);
    } catch (err) {
      return respond({ code: 2001, msg: 'Command syntax error', reason: (err as Error).message });
    }
    const { method } = call;
    calls[method] = (calls[method] ?? 0) + 1;
    const fault = opts.faults.take('inwx', method);
    if (fault && !fault.afterEffect) return faultAnswer(fault, signal);
    const answer = run(method, call.params, req.headers.cookie);
    return fault ? faultAnswer(fault, signal) : answer;
  };

  const run = (method: string, rawParams: unknown[], cookie: string | undefined): SimResponse => {
    const params = (isRecord(rawParams[0]) ? rawParams[0] : {}) as Params;
    const session = sessions.check(method, params, cookie);
    if (session) return respond(session.result, session.headers);
    const handler = methods[method];
    if (!handler) return respond(failure(2000, `Method ${method} is not simulated`));
    try {
      return respond(handler(params));
    } catch (err) {
      if (err instanceof DomRobotFailure) return respond(failure(err.code, err.reason));
      throw err;
    }
  };

  const faultAnswer = async (fault: Fault, signal: AbortSignal): Promise<SimResponse> => {
    switch (fault.mode) {
      case 'http_500':
        return { status: 500, body: 'Internal Server Error' };
      case 'http_429':
        return { status: 429, body: 'Too Many Requests' };
      case 'http_404':
        return { status: 404, body: 'Not Found' };
      case 'timeout':
        await stall(TIMEOUT_FAULT_MS, signal);
        return { status: 500, body: 'Internal Server Error' };
      case 'error':
        return respond({ code: fault.code ?? 2400 });
    }
  };

  return Object.assign(handle, {
    records: (zone?: string) =>
      state.records.filter((r) => zone === undefined || r.zone === normalise(zone)).map((r) => ({ ...r })),
    zones: () => Object.values(state.zones).map((z) => ({ ...z })),
    contacts: () => Object.values(state.contacts).map((c) => ({ ...c })),
    domains: () =>
      Object.values(state.domains)
        .map((d) => domainView(structuredClone(d), now()))
        .filter((d): d is InwxSimDomainView => !!d),
    expireSessions: () => sessions.clear(),
    stats: () => ({ logins: sessions.logins(), calls: { ...calls } }),
  });
}
