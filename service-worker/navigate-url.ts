/**
 * Where a click on a notification goes: its `navigate` deep link when it is on this origin, else the
 * start page (a push payload must not be able to open a foreign site in the app's name).
 */
export function resolveNavigateUrl(navigate: unknown, origin: string): string {
  const fallback = new URL('/', origin).href;
  if (typeof navigate !== 'string' || navigate === '') return fallback;
  try {
    const url = new URL(navigate, origin);
    return url.origin === origin ? url.href : fallback;
  } catch {
    return fallback;
  }
}
