import type { FaultRegistry } from '../faults.js';
import type { Simulator } from '../types.js';

// What the INWX simulator keeps (DNS zones and records, contacts, domains) and how it is configured.

/** The zone every account starts with; customer subdomains get their records here. */
export const INWX_BASE_ZONE = 'vrs.gmbh';

export interface InwxSimRecord {
  id: number;
  zone: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  prio: number;
}

export interface InwxSimZone {
  roId: number;
  domain: string;
  type: string;
  ns: string[];
}

export interface InwxSimContact {
  /** The handle id domain.create takes for registrant/admin/tech/billing. */
  id: number;
  type: string;
  name: string;
  org?: string;
  street: string;
  city: string;
  pc: string;
  cc: string;
  /** `+CC.NUMBER`. */
  voice: string;
  email: string;
}

export interface InwxSimContacts {
  registrant: number;
  admin: number;
  tech: number;
  billing: number;
}

/**
 * A domain as stored. Its status follows from the timestamps (never from how often anyone polled),
 * so it is the same for every caller and survives a restart.
 */
export interface InwxSimDomain {
  roId: number;
  domain: string;
  /** How the domain came into the account. */
  origin: 'create' | 'transfer';
  /** When it was ordered (ISO). */
  crDate: string;
  /** When the registration or transfer completes (ISO); until then the status is pending. */
  completesAt: string;
  /** The losing registrar refuses this transfer (auth code `wrong`): at completesAt the domain is gone. */
  transferFails?: boolean;
  /** `1Y` … `10Y`. */
  period: string;
  /** Years added by domain.renew since. */
  renewedYears?: number;
  renewalMode: string;
  contacts?: InwxSimContacts;
  ns: string[];
}

/** A domain as domain.info shows it at one moment. */
export interface InwxSimDomainView extends InwxSimDomain {
  /** `ORDER PENDING` or `TRANSFER PENDING` until completesAt, then `OK`. */
  status: string;
  /** One period after completion (plus renewals); null while pending. */
  exDate: string | null;
}

export interface InwxSimulatorOptions {
  faults: FaultRegistry;
  /** JSON file to load at start and rewrite after every change. */
  persistPath?: string;
  /** Seconds from domain.create to a registered domain; default VRS_SIM_REGISTRATION_SECONDS or 1. */
  registrationSeconds?: number;
  /** Seconds from domain.transfer to a completed (or failed) transfer; default VRS_SIM_TRANSFER_SECONDS or 5. */
  transferSeconds?: number;
  /** Open sessions at once before account.login answers 2502; default 10. */
  maxSessions?: number;
  /** A session unused this long ends by itself (a retired Lambda never logs out); default 300. */
  sessionIdleSeconds?: number;
  /** Base32 TOTP secret: the account has 2FA, and each session needs account.unlock with a valid TAN. */
  tfaSecret?: string;
  /** The simulator's clock (ms since the epoch) for durations, session idling and TANs; default Date.now. */
  now?: () => number;
}

export interface InwxSimStats {
  /** Successful account.login calls. */
  logins: number;
  /** Every call received, by method (account.* included, faulted calls too). */
  calls: Record<string, number>;
}

export interface InwxSimulator extends Simulator {
  /** All records, or those of one zone. */
  records(zone?: string): InwxSimRecord[];
  zones(): InwxSimZone[];
  contacts(): InwxSimContact[];
  /** The domains in the account now, with their current status (a failed transfer is gone). */
  domains(): InwxSimDomainView[];
  /** Forgets every session, as after an INWX restart: the next call answers 2200. */
  expireSessions(): void;
  /** Counters since the simulator started. */
  stats(): InwxSimStats;
}
