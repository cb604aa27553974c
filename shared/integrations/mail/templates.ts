import { type Locale, type RenderedMail, render } from './render.js';

// Every mail the system sends, in German (default: our customers are German) and English.

export const FOOTER: Record<Locale, string> = {
  de: 'VRS Marketplace · Diese Nachricht wurde automatisch erstellt.',
  en: 'VRS Marketplace · This message was sent automatically.',
};

export function projectReadyMail(
  locale: Locale,
  v: { projectName: string; url: string; adminUrl: string; username: string; initialPassword: string },
): RenderedMail {
  if (locale === 'en') {
    return render(
      `Your project "${v.projectName}" is ready`,
      [
        'Hello,',
        `your project "${v.projectName}" is live now.`,
        { label: 'Address', value: v.url },
        { label: 'Admin login', value: v.adminUrl },
        { label: 'User name', value: v.username },
        { label: 'Initial password', value: v.initialPassword },
        'Please change the password when you first log in.',
      ],
      FOOTER.en,
    );
  }
  return render(
    `Ihr Projekt „${v.projectName}“ ist bereit`,
    [
      'Guten Tag,',
      `Ihr Projekt „${v.projectName}“ ist jetzt online.`,
      { label: 'Adresse', value: v.url },
      { label: 'Admin-Login', value: v.adminUrl },
      { label: 'Benutzername', value: v.username },
      { label: 'Vorläufiges Passwort', value: v.initialPassword },
      'Bitte ändern Sie das Passwort bei der ersten Anmeldung.',
    ],
    FOOTER.de,
  );
}

/** To staff (German: our staff work in German). */
export function provisioningFailedMail(v: {
  projectName: string;
  projectId: string;
  status: string;
  reason: string;
  executionArn: string;
  retryCount: number;
}): RenderedMail {
  return render(
    `Provisionierung fehlgeschlagen: ${v.projectName}`,
    [
      `Die Provisionierung des Projekts „${v.projectName}“ ist fehlgeschlagen.`,
      { label: 'Projekt-ID', value: v.projectId },
      { label: 'Status der Ausführung', value: v.status },
      { label: 'Fehler', value: v.reason },
      { label: 'Ausführung', value: v.executionArn },
      { label: 'Fehlversuche bisher', value: String(v.retryCount) },
      'Nach Behebung der Ursache: in der Step-Functions-Konsole „Redrive“ wählen oder POST /v1/admin/projects/{id}/retry aufrufen. Die Ausführung setzt beim fehlgeschlagenen Schritt fort.',
    ],
    FOOTER.de,
  );
}

/** A custom domain is live (for a transfer: "transfer complete", naming the domain). */
export function domainLiveMail(
  locale: Locale,
  v: { projectName: string; domain: string; transferred: boolean },
): RenderedMail {
  if (locale === 'en') {
    return render(
      v.transferred ? `Transfer complete: ${v.domain}` : `Your domain ${v.domain} is live`,
      [
        'Hello,',
        v.transferred
          ? `the transfer of ${v.domain} to us is complete, and your project "${v.projectName}" now answers at it.`
          : `your project "${v.projectName}" now answers at ${v.domain}.`,
        { link: `https://${v.domain}`, href: `https://${v.domain}` },
      ],
      FOOTER.en,
    );
  }
  return render(
    v.transferred ? `Transfer abgeschlossen: ${v.domain}` : `Ihre Domain ${v.domain} ist live`,
    [
      'Hallo,',
      v.transferred
        ? `der Transfer von ${v.domain} zu uns ist abgeschlossen, und Ihr Projekt „${v.projectName}“ ist jetzt unter dieser Adresse erreichbar.`
        : `Ihr Projekt „${v.projectName}“ ist jetzt unter ${v.domain} erreichbar.`,
      { link: `https://${v.domain}`, href: `https://${v.domain}` },
    ],
    FOOTER.de,
  );
}

/** A custom domain could not be had; the project stays live on its other domains. */
export function domainFailedMail(
  locale: Locale,
  v: { projectName: string; domain: string; reason: string; liveAt: string },
): RenderedMail {
  if (locale === 'en') {
    return render(
      `Problem with your domain ${v.domain}`,
      [
        'Hello,',
        `we could not attach ${v.domain} to your project "${v.projectName}".`,
        v.reason,
        `Your project stays online at ${v.liveAt}.`,
      ],
      FOOTER.en,
    );
  }
  return render(
    `Problem mit Ihrer Domain ${v.domain}`,
    [
      'Hallo,',
      `wir konnten ${v.domain} nicht mit Ihrem Projekt „${v.projectName}“ verbinden.`,
      v.reason,
      `Ihr Projekt bleibt unter ${v.liveAt} erreichbar.`,
    ],
    FOOTER.de,
  );
}

/** To staff (German): a customer's domain failed (what the customer was told, and the error). */
export function domainFailedStaffMail(v: {
  projectName: string;
  projectId: string;
  domain: string;
  reason: string;
  error: string;
}): RenderedMail {
  return render(
    `Domain fehlgeschlagen: ${v.domain} (${v.projectName})`,
    [
      { label: 'Projekt', value: `${v.projectName} (${v.projectId})` },
      { label: 'Domain', value: v.domain },
      { label: 'Dem Kunden mitgeteilt', value: v.reason },
      { label: 'Fehler', value: v.error },
      'Ein neuer Auth-Code des Kunden startet den Transfer erneut; eine Registrierung braucht eine andere Domain. Das Projekt bleibt unter seinen anderen Domains erreichbar.',
    ],
    FOOTER.de,
  );
}

/** To staff (German): an attach-domain execution failed on a fault; the domain stays pending. */
export function domainAttachFailedMail(v: {
  projectName: string;
  projectId: string;
  domain: string;
  reason: string;
  executionArn: string;
}): RenderedMail {
  return render(
    `Domain-Anbindung fehlgeschlagen: ${v.domain} (${v.projectName})`,
    [
      `Die Anbindung der Domain ${v.domain} an das Projekt „${v.projectName}“ ist an einem Fehler gescheitert. Das Projekt bleibt unter seiner technischen Subdomain erreichbar; die Domain bleibt ausstehend.`,
      { label: 'Projekt-ID', value: v.projectId },
      { label: 'Fehler', value: v.reason },
      { label: 'Ausführung', value: v.executionArn },
      'Nach Behebung der Ursache: in der Step-Functions-Konsole „Redrive“ wählen. Die Ausführung setzt beim fehlgeschlagenen Schritt fort; nichts wird doppelt registriert oder angelegt.',
    ],
    FOOTER.de,
  );
}

/** To staff (German): an attach-domain execution ended, yet its domain is still pending. */
export function domainAttachStalledMail(v: {
  projectName: string;
  projectId: string;
  domain: string;
  status: string;
  executionArn: string;
}): RenderedMail {
  return render(
    `Domain-Anbindung hängt: ${v.domain} (${v.projectName})`,
    [
      `Die Anbindung der Domain ${v.domain} an das Projekt „${v.projectName}“ ist beendet, die Domain ist aber noch im Status „${v.status}“. Das Projekt bleibt unter seiner technischen Subdomain erreichbar.`,
      { label: 'Projekt-ID', value: v.projectId },
      { label: 'Ausführung', value: v.executionArn },
      'Bitte die letzten Schritte der Ausführung und das Protokoll des Projekts prüfen. Diese Nachricht kommt je Ausführung nur einmal.',
    ],
    FOOTER.de,
  );
}

/** To staff (German), once a day: domains live for us that our INWX account no longer lists. */
export function domainsMissingAtRegistryMail(v: {
  day: string;
  domains: { domain: string; projectId: string }[];
}): RenderedMail {
  return render(
    `Domains fehlen im INWX-Konto: ${v.domains.length} (${v.day})`,
    [
      'Diese Domains sind bei uns aktiv, stehen aber nicht mehr in der Domainliste unseres INWX-Kontos (gelöscht, wegtransferiert oder in ein anderes Konto verschoben?). Ihre Projekte sind darunter womöglich nicht mehr erreichbar.',
      ...v.domains.map((d) => ({ label: d.domain, value: `Projekt ${d.projectId}` })),
      'Bitte bei INWX prüfen. Die Liste kommt täglich, solange die Abweichung besteht.',
    ],
    FOOTER.de,
  );
}

/** The owner's project was suspended by staff: why, what it means and what to do. */
export function projectSuspendedMail(
  locale: Locale,
  v: { projectName: string; url: string; reason: string },
): RenderedMail {
  if (locale === 'en') {
    return render(
      `Your project "${v.projectName}" has been suspended`,
      [
        'Hello,',
        `we have suspended your project "${v.projectName}" (${v.url}). It is offline for now and its plugin licenses are on hold; your content and settings are kept.`,
        { label: 'Reason', value: v.reason },
        'What to do: settle what the reason names (for an open invoice: pay it) or reply to this message. Once it is resolved we resume the project, with everything as it was.',
      ],
      FOOTER.en,
    );
  }
  return render(
    `Ihr Projekt „${v.projectName}“ wurde gesperrt`,
    [
      'Guten Tag,',
      `wir haben Ihr Projekt „${v.projectName}“ (${v.url}) gesperrt. Es ist vorerst offline, seine Plugin-Lizenzen ruhen; Ihre Inhalte und Einstellungen bleiben erhalten.`,
      { label: 'Grund', value: v.reason },
      'Was zu tun ist: Bitte klären Sie den genannten Grund (bei einer offenen Rechnung: bitte begleichen) oder antworten Sie auf diese Nachricht. Sobald er geklärt ist, schalten wir das Projekt wieder frei – mit allem wie zuvor.',
    ],
    FOOTER.de,
  );
}

/** The owner's project is online again after a suspension. */
export function projectResumedMail(
  locale: Locale,
  v: { projectName: string; url: string; reason?: string | undefined },
): RenderedMail {
  if (locale === 'en') {
    return render(
      `Your project "${v.projectName}" is online again`,
      [
        'Hello,',
        `your project "${v.projectName}" is online again, with its plugins as before.`,
        { link: v.url, href: v.url },
        ...(v.reason ? [{ label: 'Note', value: v.reason }] : []),
      ],
      FOOTER.en,
    );
  }
  return render(
    `Ihr Projekt „${v.projectName}“ ist wieder online`,
    [
      'Guten Tag,',
      `Ihr Projekt „${v.projectName}“ ist wieder online, mit seinen Plugins wie zuvor.`,
      { link: v.url, href: v.url },
      ...(v.reason ? [{ label: 'Hinweis', value: v.reason }] : []),
    ],
    FOOTER.de,
  );
}

/** The owner's project was archived: it is offline for good, its data kept. */
export function projectArchivedMail(
  locale: Locale,
  v: { projectName: string; url: string; reason: string; keptDomains: string[]; expiringDomains: string[] },
): RenderedMail {
  if (locale === 'en') {
    return render(
      `Your project "${v.projectName}" has been archived`,
      [
        'Hello,',
        `we have archived your project "${v.projectName}" (${v.url}). It is offline, and its plugin licenses have ended. We keep its data: should you want it back or need an export, reply to this message.`,
        { label: 'Reason', value: v.reason },
        ...(v.expiringDomains.length
          ? [
              `These domains we registered for you will not be renewed and expire at the end of their term: ${v.expiringDomains.join(', ')}. To keep one, tell us before then.`,
            ]
          : []),
        ...(v.keptDomains.length ? [`These domains stay registered: ${v.keptDomains.join(', ')}.`] : []),
      ],
      FOOTER.en,
    );
  }
  return render(
    `Ihr Projekt „${v.projectName}“ wurde archiviert`,
    [
      'Guten Tag,',
      `wir haben Ihr Projekt „${v.projectName}“ (${v.url}) archiviert. Es ist offline, seine Plugin-Lizenzen sind beendet. Seine Daten bewahren wir auf: Wenn Sie es zurückhaben möchten oder einen Export brauchen, antworten Sie auf diese Nachricht.`,
      { label: 'Grund', value: v.reason },
      ...(v.expiringDomains.length
        ? [
            `Diese für Sie registrierten Domains werden nicht verlängert und laufen zum Ende ihrer Laufzeit aus: ${v.expiringDomains.join(', ')}. Wenn Sie eine behalten möchten, sagen Sie uns bitte vorher Bescheid.`,
          ]
        : []),
      ...(v.keptDomains.length ? [`Diese Domains bleiben registriert: ${v.keptDomains.join(', ')}.`] : []),
    ],
    FOOTER.de,
  );
}

/** To staff (German): a suspension, resumption or archival execution failed; the project keeps its status. */
export function lifecycleFailedMail(v: {
  action: 'suspend' | 'resume' | 'archive' | 'takeover';
  projectName: string;
  projectId: string;
  projectStatus: string;
  reason: string;
  executionArn: string;
}): RenderedMail {
  const what = {
    suspend: 'Sperrung',
    resume: 'Reaktivierung',
    archive: 'Archivierung',
    takeover: 'Übernahme',
  }[v.action];
  return render(
    `${what} fehlgeschlagen: ${v.projectName}`,
    [
      `Die ${what} des Projekts „${v.projectName}“ ist an einem Fehler gescheitert. Das Projekt bleibt im Status „${v.projectStatus}“, bis die Ausführung durchgelaufen ist.`,
      { label: 'Projekt-ID', value: v.projectId },
      { label: 'Fehler', value: v.reason },
      { label: 'Ausführung', value: v.executionArn },
      'Nach Behebung der Ursache: in der Step-Functions-Konsole „Redrive“ wählen (oder dieselbe Anfrage erneut senden). Die Ausführung setzt beim fehlgeschlagenen Schritt fort; nichts wird doppelt ausgeführt.',
    ],
    FOOTER.de,
  );
}

/** To the buyer: a delayed payment (e.g. SEPA) failed at checkout; nothing was set up. */
export function checkoutPaymentFailedMail(locale: Locale, v: { projectName: string }): RenderedMail {
  if (locale === 'en') {
    return render(
      `Payment for "${v.projectName}" failed`,
      [
        'Hello,',
        `the payment for your order "${v.projectName}" did not go through, so we have not set up the project.`,
        'Please order again with another payment method, or contact us if you think this is a mistake.',
      ],
      FOOTER.en,
    );
  }
  return render(
    `Zahlung für „${v.projectName}“ fehlgeschlagen`,
    [
      'Guten Tag,',
      `die Zahlung für Ihre Bestellung „${v.projectName}“ ist nicht eingegangen; das Projekt wurde deshalb nicht eingerichtet.`,
      'Bitte bestellen Sie erneut mit einer anderen Zahlungsart, oder melden Sie sich bei uns, falls das ein Irrtum ist.',
    ],
    FOOTER.de,
  );
}

/** To staff (German): Stripe took a payment for a project that can no longer be provisioned. */
export function paymentForClosedProjectMail(v: {
  projectName: string;
  projectId: string;
  status: string;
  sessionId: string;
}): RenderedMail {
  return render(
    `Zahlung für Projekt im Status „${v.status}“: ${v.projectName}`,
    [
      `Stripe meldet eine bezahlte Checkout-Sitzung für das Projekt „${v.projectName}“, das im Status „${v.status}“ ist. Es wurde nichts eingerichtet.`,
      { label: 'Projekt-ID', value: v.projectId },
      { label: 'Checkout-Sitzung', value: v.sessionId },
      'Bitte die Zahlung in Stripe erstatten oder das Projekt von Hand wieder aufnehmen.',
    ],
    FOOTER.de,
  );
}
