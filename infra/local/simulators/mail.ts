import { randomUUID } from 'node:crypto';
import { readJsonFile, writeJsonFile } from '../engines/json-file.js';
import { type Fault, type FaultService, TIMEOUT_FAULT_MS } from './faults.js';
import { json, type SimRequest, type SimResponse, stall } from './types.js';

// The local stand-in for SES v2: keeps every message "sent", so tests and staff can read them.

export interface MailMessage {
  id: string;
  from: string;
  to: string[];
  cc?: string[];
  bcc?: string[];
  replyTo?: string[];
  subject: string;
  text?: string;
  html?: string;
  /** ISO 8601. */
  sentAt: string;
}

export type MailDraft = Omit<MailMessage, 'id' | 'sentAt'>;

/** Anything that hands out faults, e.g. the shared FaultRegistry. */
export interface FaultSource {
  take(service: FaultService, operation: string): Fault | undefined;
}

export interface LocalMailboxOptions {
  faults?: FaultSource;
  /** JSON file keeping the messages across restarts. */
  persistPath?: string;
}

/** Thrown by a simulator when the server should drop the connection without answering. */
export class DropConnection extends Error {
  constructor() {
    super('Simulated timeout: connection dropped');
    this.name = 'DropConnection';
  }
}

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

export class LocalMailbox {
  private messages: MailMessage[] = [];
  private readonly listeners = new Set<(message: MailMessage) => void>();

  constructor(private readonly options: LocalMailboxOptions = {}) {
    this.messages = readJsonFile<MailMessage[]>(options.persistPath, 'Local mailbox') ?? [];
  }

  /** Stores a message as if it had been sent. */
  deliver(draft: MailDraft): MailMessage {
    const message: MailMessage = { ...draft, id: messageId(), sentAt: new Date().toISOString() };
    this.messages.push(message);
    this.persist();
    for (const listener of [...this.listeners]) listener(message);
    return message;
  }

  list(): MailMessage[] {
    return this.messages.map((m) => ({ ...m }));
  }

  clear(): void {
    this.messages = [];
    this.persist();
  }

  /** Resolves with the first message (already sent or arriving within `timeoutMs`) that matches. */
  waitFor(predicate: (message: MailMessage) => boolean, timeoutMs = 5_000): Promise<MailMessage> {
    const found = this.messages.find(predicate);
    if (found) return Promise.resolve({ ...found });
    return new Promise((resolve, reject) => {
      const listener = (message: MailMessage) => {
        if (!predicate(message)) return;
        cleanup();
        resolve({ ...message });
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No matching mail within ${timeoutMs} ms (${this.messages.length} in the mailbox)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }

  /**
   * SES v2 REST (restJson1) for the operations we use: `POST /v2/email/outbound-emails` (SendEmail).
   * Errors follow the protocol: status code, `x-amzn-ErrorType` header and `{ message }`.
   */
  async handleSesRequest(req: SimRequest, signal: AbortSignal): Promise<SimResponse> {
    if (req.method !== 'POST' || req.path !== SEND_EMAIL_PATH) {
      return sesError(404, 'NotFoundException', `No local SES v2 operation for ${req.method} ${req.path}`);
    }
    const fault = this.options.faults?.take('mail', 'SendEmail');
    if (fault) {
      if (fault.mode === 'http_429') return sesError(429, 'TooManyRequestsException', 'Too many requests');
      if (fault.mode === 'http_404') return sesError(404, 'NotFoundException', 'Resource not found');
      if (fault.mode === 'timeout') {
        await stall(TIMEOUT_FAULT_MS, signal);
        throw new DropConnection();
      }
      return sesError(
        500,
        'InternalFailure',
        'The request processing has failed because of an unknown error',
      );
    }

    let body: SendEmailRequest;
    try {
      body = JSON.parse(req.body.toString('utf8') || '{}') as SendEmailRequest;
    } catch {
      return sesError(400, 'BadRequestException', 'Request body is not valid JSON');
    }
    const simple = body.Content?.Simple;
    if (!simple) return sesError(400, 'BadRequestException', 'Only Content.Simple is supported locally');
    const dest = body.Destination ?? {};
    const to = dest.ToAddresses ?? [];
    if (to.length + (dest.CcAddresses?.length ?? 0) + (dest.BccAddresses?.length ?? 0) === 0) {
      return sesError(400, 'BadRequestException', 'Missing final destination');
    }
    if (!body.FromEmailAddress) return sesError(400, 'BadRequestException', 'Missing FromEmailAddress');
    if (!simple.Subject?.Data) return sesError(400, 'BadRequestException', 'Missing Content.Simple.Subject');

    const draft: MailDraft = { from: body.FromEmailAddress, to, subject: simple.Subject.Data };
    if (dest.CcAddresses?.length) draft.cc = dest.CcAddresses;
    if (dest.BccAddresses?.length) draft.bcc = dest.BccAddresses;
    if (body.ReplyToAddresses?.length) draft.replyTo = body.ReplyToAddresses;
    if (simple.Body?.Text?.Data !== undefined) draft.text = simple.Body.Text.Data;
    if (simple.Body?.Html?.Data !== undefined) draft.html = simple.Body.Html.Data;
    const message = this.deliver(draft);
    return json(200, { MessageId: message.id });
  }

  private persist(): void {
    if (this.options.persistPath) writeJsonFile(this.options.persistPath, this.messages);
  }
}

interface SesContent {
  Data?: string;
  Charset?: string;
}

interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ReplyToAddresses?: string[];
  Content?: { Simple?: { Subject?: SesContent; Body?: { Text?: SesContent; Html?: SesContent } } };
}

function sesError(status: number, type: string, message: string): SimResponse {
  return json(status, { message }, { 'x-amzn-ErrorType': type });
}

/** Shaped like an SES message id. */
function messageId(): string {
  return `${Date.now().toString(16).padStart(16, '0')}-${randomUUID()}-000000`;
}
