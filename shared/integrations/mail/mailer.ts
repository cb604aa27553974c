import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import * as z from 'zod';
import { awsClientOptions } from '../../platform/aws-client-options.js';
import { defineConfig } from '../../platform/config.js';
import { sdkCallOptions } from '../../platform/deadline.js';
import { ExternalServiceError } from '../../platform/errors.js';
import type { RenderedMail } from './render.js';

// E-mail through SES v2 (on AWS) or the local mail simulator (same API, other endpoint).

export const mailConfig = defineConfig(
  'mail',
  z.object({
    MAIL_FROM: z.string().min(3),
    STAFF_EMAIL: z.email(),
  }),
);

let client: SESv2Client | undefined;
const ses = () => (client ??= new SESv2Client(awsClientOptions));

export async function sendMail(to: string, mail: RenderedMail): Promise<string> {
  try {
    const out = await ses().send(
      new SendEmailCommand({
        FromEmailAddress: mailConfig().MAIL_FROM,
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: mail.text, Charset: 'UTF-8' },
              Html: { Data: mail.html, Charset: 'UTF-8' },
            },
          },
        },
      }),
      sdkCallOptions(),
    );
    return out.MessageId ?? '';
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode ?? 0;
    const transient =
      status === 0 ||
      status >= 500 ||
      status === 429 ||
      e.name === 'TooManyRequestsException' ||
      e.name === 'AbortError';
    throw new ExternalServiceError(
      'mail',
      `sending failed (${e.name ?? 'error'})`,
      transient,
      status || undefined,
    );
  }
}
