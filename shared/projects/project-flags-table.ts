import { changeProjectWithLog } from './projects-table.js';

// A staff-set flag of a project (superadmin, preview protection), written together with its log
// entry. No new keys: the project item and its log (projects-table.ts).

export type ProjectFlag = 'isSuperadmin' | 'previewProtection';

/** Sets the flag and logs who did it, in one transaction; false when the project does not exist. */
export function writeProjectFlag(
  projectId: string,
  flag: ProjectFlag,
  value: boolean,
  log: { action: string; message: string; by: string },
): Promise<boolean> {
  return changeProjectWithLog(
    projectId,
    { set: { [flag]: value }, condition: 'attribute_exists(pk)' },
    { action: log.action, message: log.message, triggeredBy: log.by },
  );
}
