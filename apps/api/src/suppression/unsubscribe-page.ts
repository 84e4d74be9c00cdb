/**
 * The pages a person sees after following an unsubscribe link, and the reading of RFC 8058 one-click bodies.
 *
 * GET never unsubscribes: mail scanners and link previewers fetch URLs from messages, so the GET page only
 * asks for confirmation and the change happens on POST (the form below, or a mail client's one-click POST).
 */
import type { UnsubscribeRefusal } from './suppression.service';

export const ONE_CLICK_FIELD = 'List-Unsubscribe';
export const ONE_CLICK_VALUE = 'One-Click';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#1f2937;color:#fff;cursor:pointer}</style>
</head><body><h1>${escapeHtml(title)}</h1>${content}</body></html>`;
}

/** Asks for confirmation; the form posts the RFC 8058 body to the same URL. */
export function confirmationPage(actionPath: string): string {
  return page(
    'Unsubscribe',
    `<p>Stop receiving these messages? You will not be contacted by any of our sequences again.</p>
<form method="post" action="${escapeHtml(actionPath)}">
<input type="hidden" name="${ONE_CLICK_FIELD}" value="${ONE_CLICK_VALUE}">
<button type="submit">Unsubscribe</button></form>`,
  );
}

export function donePage(): string {
  return page('You are unsubscribed', '<p>You will not receive these messages any more.</p>');
}

export function refusedPage(reason: UnsubscribeRefusal): string {
  const text =
    reason === 'expired'
      ? 'This unsubscribe link has expired. Use the link in a more recent message, or reply to it.'
      : 'This unsubscribe link is not valid. Use the link in the message exactly as it was sent.';
  return page('Link not valid', `<p>${escapeHtml(text)}</p>`);
}

/**
 * The value of `List-Unsubscribe` in a one-click POST body. RFC 8058 §3.1 allows
 * application/x-www-form-urlencoded (parsed by the body parser into `parsed`) and multipart/form-data (read
 * raw here, as nothing else in the api accepts multipart). Undefined when the field is absent.
 */
export function oneClickValue(
  contentType: string | undefined,
  parsed: unknown,
  raw: string | undefined,
): string | undefined {
  if (parsed !== null && typeof parsed === 'object' && ONE_CLICK_FIELD in parsed) {
    const v = (parsed as Record<string, unknown>)[ONE_CLICK_FIELD];
    return typeof v === 'string' ? v : String(v);
  }
  if (raw === undefined || !contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return undefined;
  for (const part of raw.split(`--${b}`)) {
    const split = part.indexOf('\r\n\r\n') >= 0 ? part.indexOf('\r\n\r\n') : part.indexOf('\n\n');
    if (split < 0) continue;
    const headers = part.slice(0, split);
    if (!new RegExp(`name="${ONE_CLICK_FIELD}"`, 'i').test(headers)) continue;
    return part
      .slice(split)
      .replace(/^\r?\n\r?\n/, '')
      .replace(/\r?\n$/, '');
  }
  return undefined;
}
