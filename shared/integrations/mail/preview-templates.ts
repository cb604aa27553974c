import { type Locale, type RenderedMail, render } from './render.js';

// The preview invitation: a magic link and a 6-digit code to a protected (demo) site. German
// (default) and English, text and HTML. The link and code are in the mail only: never logged.

const FOOTER: Record<Locale, string> = {
  de: 'VRS Marketplace · Diese Nachricht wurde automatisch erstellt.',
  en: 'VRS Marketplace · This message was sent automatically.',
};

export function previewAccessMail(
  locale: Locale,
  v: {
    projectName: string;
    recipientName?: string;
    magicLink: string;
    code: string;
    expiresAt: string;
    singleUse: boolean;
  },
): RenderedMail {
  const until = new Date(v.expiresAt);
  if (locale === 'en') {
    const when = `${until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return render(
      `Preview of "${v.projectName}"`,
      [
        v.recipientName ? `Hello ${v.recipientName},` : 'Hello,',
        `you are invited to preview "${v.projectName}" before it is public.`,
        { link: 'Open the preview', href: v.magicLink },
        'Or open the site and enter this code when asked:',
        { label: 'Code', value: v.code },
        `Valid until ${when}${v.singleUse ? ', for one visit' : ''}. Please do not pass the link or the code on.`,
      ],
      FOOTER.en,
    );
  }
  const when = `${until.toLocaleString('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' })} Uhr`;
  return render(
    `Vorschau von „${v.projectName}“`,
    [
      v.recipientName ? `Guten Tag ${v.recipientName},` : 'Guten Tag,',
      `Sie sind eingeladen, „${v.projectName}“ vorab anzusehen, bevor es öffentlich ist.`,
      { link: 'Vorschau öffnen', href: v.magicLink },
      'Oder öffnen Sie die Seite und geben Sie diesen Code ein, wenn Sie danach gefragt werden:',
      { label: 'Code', value: v.code },
      `Gültig bis ${when}${v.singleUse ? ', für einen Besuch' : ''}. Bitte geben Sie Link und Code nicht weiter.`,
    ],
    FOOTER.de,
  );
}
