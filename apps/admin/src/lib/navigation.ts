/** Only same-app paths are followed after login, never an absolute or protocol-relative URL from the query. */
export function safeNext(next: string | null): string {
  if (
    !next ||
    !next.startsWith('/') ||
    next.startsWith('//') ||
    next.startsWith('/\\') ||
    next.startsWith('/login')
  ) {
    return '/experiments';
  }
  return next;
}
