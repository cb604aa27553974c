import type { DomainWait, ExpectedDuration } from '../../provisioning/expected-duration.js';
import { type Block, type Locale, type RenderedMail, render } from './render.js';

// The customer's mails about an order: confirmed (with the expected duration), provisioning
// started, and an unpaid order that lapsed. German (default) and English, text and HTML.

const FOOTER: Record<Locale, string> = {
  de: 'VRS Marketplace · Diese Nachricht wurde automatisch erstellt.',
  en: 'VRS Marketplace · This message was sent automatically.',
};

const DOMAIN_WAIT: Record<Locale, Record<DomainWait, (domain: string) => string>> = {
  de: {
    'up-to-an-hour': (d) =>
      `Die Registrierung von ${d} dauert meist nur Minuten, manchmal bis etwa eine Stunde. Danach verbinden wir die Domain mit Ihrem Projekt und schreiben Ihnen.`,
    'up-to-several-days': (d) =>
      `Der Transfer von ${d} kann bis zu mehreren Tagen dauern: Er hängt davon ab, wann Ihr bisheriger Anbieter und die Registry ihn freigeben. Sobald er abgeschlossen ist, verbinden wir die Domain mit Ihrem Projekt und schreiben Ihnen.`,
    'once-dns-points-here': (d) =>
      `${d} verbinden wir mit Ihrem Projekt, sobald ihre DNS-Einträge auf uns zeigen. Wie schnell das überall wirkt, hängt von der Zwischenspeicherung im DNS ab (meist Minuten, selten einige Stunden). Wir schreiben Ihnen, sobald die Domain live ist.`,
  },
  en: {
    'up-to-an-hour': (d) =>
      `Registering ${d} usually takes minutes, sometimes up to about an hour. Then we attach the domain to your project and let you know.`,
    'up-to-several-days': (d) =>
      `Transferring ${d} can take up to several days: it depends on when your current registrar and the registry release it. Once it is complete, we attach the domain to your project and let you know.`,
    'once-dns-points-here': (d) =>
      `We attach ${d} to your project as soon as its DNS points at us. How fast that takes effect everywhere depends on DNS caching (usually minutes, rarely a few hours). We let you know once the domain is live.`,
  },
};

/** An order was accepted for provisioning (invoice/free at once, card orders once paid). */
export function orderConfirmationMail(
  locale: Locale,
  v: { projectName: string; liveAt: string; expected: ExpectedDuration },
): RenderedMail {
  const url = `https://${v.liveAt}`;
  const domain: Block[] = v.expected.domain
    ? [DOMAIN_WAIT[locale][v.expected.domain.wait](v.expected.domain.name)]
    : [];
  if (locale === 'en') {
    return render(
      `Order confirmed: "${v.projectName}"`,
      [
        'Hello,',
        `thank you for your order "${v.projectName}". We are setting up your project now.`,
        `It is usually online within a few minutes at ${url}; we send you its address and login as soon as it is ready.`,
        ...domain,
      ],
      FOOTER.en,
    );
  }
  return render(
    `Bestellung bestätigt: „${v.projectName}“`,
    [
      'Guten Tag,',
      `vielen Dank für Ihre Bestellung „${v.projectName}“. Wir richten Ihr Projekt jetzt ein.`,
      `Es ist in der Regel innerhalb weniger Minuten unter ${url} erreichbar; Adresse und Zugangsdaten schicken wir Ihnen, sobald es bereit ist.`,
      ...domain,
    ],
    FOOTER.de,
  );
}

/** The provisioning execution has started (sent once, on its first start). */
export function provisioningStartedMail(
  locale: Locale,
  v: { projectName: string; liveAt: string },
): RenderedMail {
  const url = `https://${v.liveAt}`;
  if (locale === 'en') {
    return render(
      `Setup of "${v.projectName}" has started`,
      [
        'Hello,',
        `we have started setting up your project "${v.projectName}": server, DNS records and the application at ${url}.`,
        'This usually takes a few minutes. You do not need to do anything; we write again once it is online.',
      ],
      FOOTER.en,
    );
  }
  return render(
    `Einrichtung von „${v.projectName}“ gestartet`,
    [
      'Guten Tag,',
      `wir haben mit der Einrichtung Ihres Projekts „${v.projectName}“ begonnen: Server, DNS-Einträge und die Anwendung unter ${url}.`,
      'Das dauert in der Regel wenige Minuten. Sie müssen nichts tun; wir melden uns, sobald es online ist.',
    ],
    FOOTER.de,
  );
}

/** A card order was not paid before its Checkout Session expired: released, nothing was set up. */
export function orderLapsedMail(locale: Locale, v: { projectName: string; domain: string }): RenderedMail {
  if (locale === 'en') {
    return render(
      `Your order "${v.projectName}" was not completed`,
      [
        'Hello,',
        `the payment for your order "${v.projectName}" was not completed before the checkout expired, so we have not set up the project and nothing was charged.`,
        `${v.domain} is free again: you are welcome to order again at any time.`,
      ],
      FOOTER.en,
    );
  }
  return render(
    `Ihre Bestellung „${v.projectName}“ wurde nicht abgeschlossen`,
    [
      'Guten Tag,',
      `die Zahlung für Ihre Bestellung „${v.projectName}“ wurde nicht abgeschlossen, bevor der Bezahlvorgang abgelaufen ist. Wir haben das Projekt deshalb nicht eingerichtet, und es wurde nichts berechnet.`,
      `${v.domain} ist wieder frei: Sie können jederzeit erneut bestellen.`,
    ],
    FOOTER.de,
  );
}
