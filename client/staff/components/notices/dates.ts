/** `datetime-local` ↔ ISO: the input speaks the browser's local time without a zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export const fromLocalInput = (value: string): string | null =>
  value ? new Date(value).toISOString() : null;

export const nowLocalInput = (): string => toLocalInput(new Date().toISOString());
