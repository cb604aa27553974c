import { inwxPhone } from '../../../../shared/integrations/inwx/inwx-phone.js';
import { DomRobotFailure, type Params, type Result } from './domrobot.js';
import type { InwxSimContact } from './model.js';
import { isRecord, optInt, optStr, str } from './params.js';
import type { InwxStore } from './store.js';

// The contact.* methods: contact handles, which domain.create and domain.transfer name as registrant,
// admin, tech and billing.

const TYPES = new Set(['PERSON', 'ORG', 'ROLE']);
const VOICE = /^\+\d{1,3}\.\d{4,14}$/;

export function contactMethods(store: InwxStore): Record<string, (p: Params) => Result> {
  const { state } = store;

  return {
    'contact.create': (p) => {
      const type = str(p, 'type').toUpperCase();
      if (!TYPES.has(type)) throw new DomRobotFailure(2004, `type must be one of ${[...TYPES].join(', ')}`);
      const cc = str(p, 'cc').toUpperCase();
      if (!/^[A-Z]{2}$/.test(cc)) throw new DomRobotFailure(2005, 'cc must be an ISO 3166 country code');
      const email = str(p, 'email');
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new DomRobotFailure(2005, 'email is invalid');
      // With extData PARSE-VOICE, INWX reads the number itself (as our client writes it).
      const parseVoice = isRecord(p.extData) && !!p.extData['PARSE-VOICE'];
      const voice = parseVoice ? inwxPhone(str(p, 'voice')) : str(p, 'voice');
      if (!VOICE.test(voice)) throw new DomRobotFailure(2005, 'voice must look like +49.301234567');
      const org = optStr(p, 'org');
      const contact: InwxSimContact = {
        id: store.newId(),
        type,
        name: str(p, 'name'),
        ...(org ? { org } : {}),
        street: str(p, 'street'),
        city: str(p, 'city'),
        pc: str(p, 'pc'),
        cc,
        voice,
        email,
      };
      state.contacts[contact.id] = contact;
      store.save();
      return { code: 1000, resData: { id: contact.id } };
    },
    'contact.info': (p) => {
      const contact = state.contacts[str(p, 'id')];
      if (!contact) throw new DomRobotFailure(2303, 'Contact not found');
      return { code: 1000, resData: { contact: contactInfo(contact) } };
    },
    'contact.list': (p) => {
      const search = optStr(p, 'search')?.toLowerCase().replaceAll('*', '');
      const all = Object.values(state.contacts)
        .filter(
          (c) =>
            !search ||
            [c.name, c.org ?? '', c.email, c.city, String(c.id)].some((f) =>
              f.toLowerCase().includes(search),
            ),
        )
        .sort((a, b) => b.id - a.id); // IDDESC, INWX's default order
      const page = optInt(p, 'page') ?? 1;
      const limit = optInt(p, 'pagelimit') ?? 20;
      return {
        code: 1000,
        resData: {
          count: all.length,
          contact: all.slice((page - 1) * limit, page * limit).map(contactInfo),
        },
      };
    },
  };
}

/** contact.info and contact.list show a handle with `roId` (the int id) and `id`. */
function contactInfo(c: InwxSimContact): Params {
  return { roId: c.id, ...c, protection: 1 };
}
