import { type Locale, type RenderedMail, render } from './render.js';
import { FOOTER } from './templates.js';

// Billing's mails to the buyer (billing e-mail): a failed payment, the last warning before the
// suspension, and the trial's end coming near. German and English; dates as the reader writes them.

const date = (iso: string, locale: Locale): string =>
  new Date(iso).toLocaleDateString(locale === 'en' ? 'en-GB' : 'de-DE', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Berlin',
  });

const money = (cents: number, currency: string, locale: Locale): string =>
  new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'de-DE', { style: 'currency', currency }).format(
    cents / 100,
  );

/** A subscription payment failed: when the project will be suspended unless it is paid. */
export function paymentFailedMail(
  locale: Locale,
  v: {
    projectName: string;
    amountCents: number;
    currency: string;
    suspendsAt: string;
    immediately: boolean;
    projectUrl: string;
  },
): RenderedMail {
  const amount = money(v.amountCents, v.currency, locale);
  if (locale === 'en') {
    return render(
      `Payment for "${v.projectName}" failed`,
      [
        'Hello,',
        `we could not collect the payment of ${amount} for your project "${v.projectName}".`,
        v.immediately
          ? 'Your trial has ended, so the project is suspended until the payment arrives.'
          : `Please update your payment method. If the payment has not arrived by ${date(v.suspendsAt, locale)}, the project will be suspended until it does.`,
        { link: 'Update the payment method', href: v.projectUrl },
        'Once paid, the project is resumed automatically.',
      ],
      FOOTER.en,
    );
  }
  return render(
    `Zahlung für „${v.projectName}“ fehlgeschlagen`,
    [
      'Guten Tag,',
      `die Zahlung über ${amount} für Ihr Projekt „${v.projectName}“ konnte nicht eingezogen werden.`,
      v.immediately
        ? 'Ihre Testphase ist beendet; das Projekt wird deshalb bis zum Zahlungseingang gesperrt.'
        : `Bitte aktualisieren Sie Ihre Zahlungsart. Ist die Zahlung bis zum ${date(v.suspendsAt, locale)} nicht eingegangen, wird das Projekt bis zum Zahlungseingang gesperrt.`,
      { link: 'Zahlungsart aktualisieren', href: v.projectUrl },
      'Nach Zahlungseingang wird das Projekt automatisch wieder freigegeben.',
    ],
    FOOTER.de,
  );
}

/** The last day of grace: the suspension comes at `suspendsAt`. */
export function finalWarningMail(
  locale: Locale,
  v: { projectName: string; suspendsAt: string; projectUrl: string },
): RenderedMail {
  if (locale === 'en') {
    return render(
      `Final reminder: "${v.projectName}" will be suspended`,
      [
        'Hello,',
        `the payment for your project "${v.projectName}" is still outstanding.`,
        `Unless it arrives by ${date(v.suspendsAt, locale)}, the project will be suspended: the website stops and its plugins are locked. Your data is kept.`,
        'Please update your payment method now; once paid, nothing more is needed.',
        { link: 'Update the payment method', href: v.projectUrl },
      ],
      FOOTER.en,
    );
  }
  return render(
    `Letzte Erinnerung: „${v.projectName}“ wird gesperrt`,
    [
      'Guten Tag,',
      `die Zahlung für Ihr Projekt „${v.projectName}“ steht weiterhin aus.`,
      `Geht sie nicht bis zum ${date(v.suspendsAt, locale)} ein, wird das Projekt gesperrt: Die Website wird angehalten und ihre Plugins werden gesperrt. Ihre Daten bleiben erhalten.`,
      'Bitte aktualisieren Sie jetzt Ihre Zahlungsart; nach Zahlungseingang ist nichts weiter zu tun.',
      { link: 'Zahlungsart aktualisieren', href: v.projectUrl },
    ],
    FOOTER.de,
  );
}

/** The trial ends in `daysLeft` days: then the subscription is charged. */
export function trialEndingMail(
  locale: Locale,
  v: { projectName: string; daysLeft: number; trialEndsAt: string; projectUrl: string },
): RenderedMail {
  if (locale === 'en') {
    const days = v.daysLeft === 1 ? '1 day' : `${v.daysLeft} days`;
    return render(
      `Your trial of "${v.projectName}" ends in ${days}`,
      [
        'Hello,',
        `the trial of your project "${v.projectName}" ends on ${date(v.trialEndsAt, locale)}.`,
        'Then your subscription starts and the payment method you gave is charged; the project keeps running as it is.',
        { link: 'Choose your plan or upgrade', href: v.projectUrl },
        'If you do not want to continue, cancel the subscription before then.',
      ],
      FOOTER.en,
    );
  }
  const days = v.daysLeft === 1 ? '1 Tag' : `${v.daysLeft} Tagen`;
  return render(
    `Ihre Testphase für „${v.projectName}“ endet in ${days}`,
    [
      'Guten Tag,',
      `die Testphase Ihres Projekts „${v.projectName}“ endet am ${date(v.trialEndsAt, locale)}.`,
      'Danach beginnt Ihr Abonnement und die angegebene Zahlungsart wird belastet; das Projekt läuft unverändert weiter.',
      { link: 'Tarif wählen oder erweitern', href: v.projectUrl },
      'Wenn Sie nicht fortfahren möchten, kündigen Sie das Abonnement bitte vorher.',
    ],
    FOOTER.de,
  );
}
