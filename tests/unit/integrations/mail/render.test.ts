import { describe, expect, it } from 'vitest';
import { projectReadyMail } from '../../../../shared/integrations/mail/templates.js';

describe('mail subjects', () => {
  it('stay one line even for a project name stored before names were checked', () => {
    const mail = projectReadyMail('en', {
      projectName: 'Müller\r\nBcc: victim@example.com\u0085x',
      url: 'https://mueller.vrs.gmbh',
      adminUrl: 'https://mueller.vrs.gmbh/admin',
      username: 'owner@example.com',
      initialPassword: 'secret',
    });
    expect(mail.subject).toBe('Your project "Müller Bcc: victim@example.com x" is ready');
  });
});
