import { type Locale, type RenderedMail, render } from './render.js';

// The new owner's mail once a demo project is theirs (shared/takeover/). German (default) and
// English, text and HTML.

const FOOTER: Record<Locale, string> = {
  de: 'VRS Marketplace · Diese Nachricht wurde automatisch erstellt.',
  en: 'VRS Marketplace · This message was sent automatically.',
};

const PAYMENT = {
  de: {
    stripe_prepaid: 'per Karte, im Voraus bezahlt',
    stripe_subscription: 'per Karte, im Abonnement',
    invoice: 'auf Rechnung',
    free: 'kostenlos',
  },
  en: {
    stripe_prepaid: 'by card, paid in advance',
    stripe_subscription: 'by card, as a subscription',
    invoice: 'by invoice',
    free: 'free of charge',
  },
} as const;

export function projectTakenOverMail(
  locale: Locale,
  v: {
    projectName: string;
    url: string;
    paymentMethod: keyof (typeof PAYMENT)['de'];
    /** The customer's own domain, attached once it is ready. */
    domain?: string | undefined;
  },
): RenderedMail {
  if (locale === 'en') {
    return render(
      `"${v.projectName}" is now yours`,
      [
        'Hello,',
        `the project "${v.projectName}" now belongs to you. It is public: the preview login is off.`,
        { link: v.url, href: v.url },
        { label: 'Billing', value: PAYMENT.en[v.paymentMethod] },
        ...(v.domain
          ? [`Your domain ${v.domain} is being set up; we will write again once it points to your site.`]
          : []),
      ],
      FOOTER.en,
    );
  }
  return render(
    `„${v.projectName}“ gehört jetzt Ihnen`,
    [
      'Guten Tag,',
      `das Projekt „${v.projectName}“ gehört jetzt Ihnen. Es ist öffentlich: der Vorschau-Schutz ist aus.`,
      { link: v.url, href: v.url },
      { label: 'Abrechnung', value: PAYMENT.de[v.paymentMethod] },
      ...(v.domain
        ? [`Ihre Domain ${v.domain} wird eingerichtet; wir melden uns, sobald sie auf Ihre Seite zeigt.`]
        : []),
    ],
    FOOTER.de,
  );
}
