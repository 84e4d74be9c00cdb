import { hash } from '@liftlab/sdk';
import { Liquid, type Template } from 'liquidjs';
import { DomainError } from '../common/domain-error';

/**
 * Rendering of touch content with Liquid (liquidjs). Variables and filters are strict: a typo such as
 * `{{ customer.fist_name }}` is an error naming the template field, never an e-mail saying "Hello ,".
 * Pure: the links and offer code come in with the context, so a preview and a real send render identically.
 */

export type Channel = 'email' | 'in_app' | 'webhook' | 'call_task';

/** Variables a template sees. */
export interface TemplateContext {
  customer: {
    externalId: string;
    segment: string | null;
    plan: string | null;
    country: string | null;
    timezone: string | null;
    acquisitionChannel: string | null;
    traits: Record<string, unknown>;
  };
  /** The offer attached to the touch, or null. */
  offer: {
    key: string;
    name: string;
    kind: string;
    code: string | null;
    expiresAt: Date | null;
    discountPercent: number | null;
    targetTier: string | null;
    termsDays: number | null;
    description: string | null;
  } | null;
  links: { unsubscribe: string; survey: string | null };
  sequence: { key: string; name: string };
}

/** The `click` filter: `{{ "https://shop.example/back" | click }}` → a signed, tracked redirect to that URL. */
export type ClickLinker = (url: string) => string;

export interface RenderedContent {
  /** E-mail subject, in-app title, call-task title; null for webhooks. */
  subject: string | null;
  /** Plain-text body: always present for e-mail. */
  body: string | null;
  html: string | null;
  /** Channel data that is not text (in-app CTA, webhook URL, task owner and due days). */
  payload: Record<string, unknown> | null;
}

interface ContentVariant {
  key: string;
  weight: number;
}

/** The content of a touch as stored (TouchContent in @liftlab/contracts), read defensively. */
export type StoredContent = Record<string, unknown> & {
  variants?: (Record<string, unknown> & ContentVariant)[];
};

const liquid = new Liquid({
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  // `{% if customer.traits.first_name %}` may test an optional trait; printing a missing one is still an error.
  lenientIf: true,
  // Guard against pathological templates (loops over huge ranges) in a server process.
  renderLimit: 2_000,
  parseLimit: 500_000,
  memoryLimit: 20_000_000,
});

const parsed = new Map<string, Template[]>();

function parse(source: string): Template[] {
  let templates = parsed.get(source);
  if (!templates) {
    templates = liquid.parse(source);
    if (parsed.size > 500) parsed.clear();
    parsed.set(source, templates);
  }
  return templates;
}

/** The template's error, as a rule name for the problem document. */
function ruleOf(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'UndefinedVariableError') return 'template_undefined_variable';
  if (name === 'TokenizationError' || name === 'ParseError') return 'template_syntax';
  return 'template_render';
}

function render(source: string, field: string, scope: object): string {
  try {
    return liquid.renderSync(parse(source), scope) as string;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw DomainError.invalid(field, ruleOf(error), `${field}: ${message}`);
  }
}

/**
 * Deterministic A/B choice of a content variant for one message: the position of the message key (enrollment
 * id + touch id) on the unit interval (FNV-1a, the same hash the SDKs use) against the cumulative weights.
 * Returns null when the touch is not split.
 */
export function chooseContentVariant(
  content: StoredContent,
  messageKey: string,
): { key: string; content: StoredContent; index: number } | null {
  const variants = Array.isArray(content.variants) ? content.variants : [];
  if (variants.length === 0) return null;
  const u = hash('touch-variant', messageKey, 2) ?? 0;
  const total = variants.reduce((s, v) => s + (typeof v.weight === 'number' ? v.weight : 0), 0);
  let cumulative = 0;
  for (let i = 0; i < variants.length; i++) {
    cumulative += (variants[i]!.weight ?? 0) / (total || 1);
    if (u < cumulative || i === variants.length - 1) {
      const { key, weight: _weight, ...fields } = variants[i]!;
      return { key, content: fields as StoredContent, index: i };
    }
  }
  return null;
}

function text(content: StoredContent, name: string): string | undefined {
  const v = content[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Renders one channel's content. `fieldPrefix` names where the content lives in the caller's input
 * (`touches[1].content`, `content`, `touches[1].content.variants[0]`) so a template error names its field.
 */
export function renderContent(
  channel: Channel,
  content: StoredContent,
  context: TemplateContext,
  click: ClickLinker,
  fieldPrefix: string,
): RenderedContent {
  const scope = { ...context };
  const clickFilter = (url: unknown) => click(String(url));
  const field = (name: string) => `${fieldPrefix}.${name}`;
  const withClick = (source: string, name: string) =>
    renderWithClick(source, field(name), scope, clickFilter);

  switch (channel) {
    case 'email': {
      const subject = withClick(text(content, 'subject') ?? '', 'subject')
        .replace(/\s+/g, ' ')
        .trim();
      const html = text(content, 'html');
      const renderedHtml = html !== undefined && html.trim() !== '' ? withClick(html, 'html') : null;
      const source = text(content, 'text');
      const body =
        source !== undefined && source.trim() !== ''
          ? withClick(source, 'text')
          : renderedHtml !== null
            ? htmlToText(renderedHtml)
            : '';
      return { subject, body, html: renderedHtml, payload: null };
    }
    case 'in_app': {
      const ctaUrl = text(content, 'ctaUrl');
      return {
        subject: withClick(text(content, 'title') ?? '', 'title'),
        body: withClick(text(content, 'body') ?? '', 'body'),
        html: null,
        payload: { ctaUrl: ctaUrl ? withClick(ctaUrl, 'ctaUrl') : null },
      };
    }
    case 'call_task':
      return {
        subject: withClick(text(content, 'title') ?? '', 'title'),
        body: withClick(text(content, 'instructions') ?? '', 'instructions'),
        html: null,
        payload: {
          owner: text(content, 'owner') ?? '',
          dueInDays: typeof content['dueInDays'] === 'number' ? content['dueInDays'] : 2,
        },
      };
    case 'webhook':
      // The webhook channel builds its signed body (customer, sequence, offer) at send time.
      return { subject: null, body: null, html: null, payload: { url: text(content, 'url') ?? '' } };
  }
}

function renderWithClick(
  source: string,
  field: string,
  scope: object,
  click: (url: unknown) => string,
): string {
  liquidClick.current = click;
  try {
    return render(source, field, scope);
  } finally {
    liquidClick.current = null;
  }
}

/** The `click` filter is registered once; rendering is synchronous, so the active linker is a plain slot. */
const liquidClick: { current: ((url: unknown) => string) | null } = { current: null };
liquid.registerFilter('click', (url: unknown) => {
  if (!liquidClick.current) throw new Error('click links are not available here');
  return liquidClick.current(url);
});

/** Plain-text part from HTML: the readable text with links kept as "text (url)". */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) =>
      label.trim() === href ? href : `${label} (${href})`,
    )
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Adds the 1×1 open-tracking image to an e-mail's HTML part, just before `</body>` when there is one. Opens are
 * a lower bound (clients that block images never load it); a click also records the open.
 */
export function withOpenPixel(html: string, pixelUrl: string): string {
  const escaped = pixelUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const img = `<img src="${escaped}" width="1" height="1" alt="" style="display:none">`;
  const close = html.search(/<\/body\s*>/i);
  return close === -1 ? `${html}${img}` : `${html.slice(0, close)}${img}${html.slice(close)}`;
}
