import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, table } from '../platform/table/db.js';
import { projectKeys } from './projects-table.js';

// Mails a project gets once (order confirmation, provisioning started), claimed on the project
// item before sending: a conditional write sets the mail's `…MailedAt` only where it is unset, so
// of concurrent senders (duplicate webhooks, retries) one sends; a failed send gives the claim back.
// No new keys: the project item (projects-table.ts).

export type OnceMail = 'orderConfirmationMailedAt' | 'provisioningStartedMailedAt';

/** True for the one caller that may send the mail now; false when it was claimed (or sent) already. */
export async function claimProjectMail(projectId: string, mail: OnceMail, at: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: projectKeys.project(projectId),
        UpdateExpression: 'SET #mail = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#mail)',
        ExpressionAttributeNames: { '#mail': mail },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** Gives a claim back after the mail could not be sent (only the claim made at `at`), so a retry sends it. */
export async function releaseProjectMail(projectId: string, mail: OnceMail, at: string): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: projectKeys.project(projectId),
        UpdateExpression: 'REMOVE #mail',
        ConditionExpression: '#mail = :at',
        ExpressionAttributeNames: { '#mail': mail },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}
