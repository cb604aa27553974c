import { inwx } from '../../integrations/inwx/from-secret.js';
import { updateDomain } from '../../projects/domains-table.js';
import { appendLog, listDomains } from '../../projects/projects-table.js';
import { domainsToExpire } from '../lifecycle-rules.js';
import { type LifecycleInput, lifecycleRequestOf } from './lifecycle-input.js';

// Task ExpireRegisteredDomains (archive-project flow): each domain we registered for the project is
// set to expire at INWX at the end of its term (renewal mode AUTOEXPIRE) instead of renewing at our
// cost — unless staff kept it (keepDomains). The mode is stored on the domain once INWX has it, so a
// rerun asks INWX only about the rest; a domain our account no longer holds is noted and skipped.

const MODE = 'AUTOEXPIRE';

export async function expireRegisteredDomains(input: LifecycleInput) {
  const { projectId } = input;
  const found = await lifecycleRequestOf(input);
  if (found.state === 'finished') return { projectId };
  const { request } = found;
  const due = domainsToExpire(await listDomains(projectId), request.keepDomains ?? []).filter(
    (d) => d.renewalMode !== MODE,
  );
  if (due.length === 0) return { projectId };
  const client = await inwx();
  for (const d of due) {
    const name = d.unicode ?? d.domain;
    if (await client.setRenewalMode(d.domain, MODE)) {
      await updateDomain(projectId, d.domain, {
        fields: { renewalMode: MODE },
        log: {
          action: 'domain_set_to_expire',
          message: `${name} expires at the end of its term (INWX renewal mode ${MODE})`,
          externalService: 'inwx',
          triggeredBy: request.requestedBy,
        },
      });
    } else {
      await appendLog({
        projectId,
        action: 'domain_set_to_expire',
        message: `${name} is not in our INWX account: nothing to set`,
        externalService: 'inwx',
        triggeredBy: request.requestedBy,
      });
    }
  }
  return { projectId };
}
