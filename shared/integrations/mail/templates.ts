import { type Locale, type RenderedMail, render } from './render.js';

// Every mail the system sends, in German (default: our customers are German) and English.

const FOOTER: Record<Locale, string> = {
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
