/**
 * The content a message was rendered from: the variant named by the message, else the touch's base content.
 * Variants carry the channel's full content (see TouchContent in @liftlab/contracts).
 */
export function effectiveContent(content: unknown, variant: string | null): Record<string, unknown> {
  const base = isObject(content) ? content : {};
  if (variant === null || !Array.isArray(base.variants)) return base;
  const chosen = (base.variants as unknown[]).find((v) => isObject(v) && v.key === variant);
  return isObject(chosen) ? chosen : base;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
