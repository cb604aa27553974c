// Mail templates are plain functions returning subject, text and HTML. The HTML is built from the
// same paragraphs as the text, with every value escaped.

export type Locale = 'de' | 'en';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export type Block = string | { label: string; value: string } | { link: string; href: string };

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function render(subject: string, blocks: Block[], footer: string): RenderedMail {
  const text = blocks
    .map((b) =>
      typeof b === 'string' ? b : 'label' in b ? `${b.label}: ${b.value}` : `${b.link}: ${b.href}`,
    )
    .join('\n\n');
  const body = blocks
    .map((b) => {
      if (typeof b === 'string') return `<p>${escapeHtml(b).replace(/\n/g, '<br>')}</p>`;
      if ('label' in b) return `<p><strong>${escapeHtml(b.label)}:</strong> ${escapeHtml(b.value)}</p>`;
      return `<p><a href="${escapeHtml(b.href)}">${escapeHtml(b.link)}</a></p>`;
    })
    .join('\n');
  return {
    // One line whatever the values (names stored before they were checked): a line break in a
    // subject would start a new mail header.
    subject: subject.replace(/[\p{Cc}\u2028\u2029]+/gu, ' '),
    text: `${text}\n\n-- \n${footer}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif">\n${body}\n<hr><p style="color:#666">${escapeHtml(footer)}</p></body></html>`,
  };
}
