/**
 * Display formatting for the demo PDFs. The standard PDF fonts only know WinAnsi, so the
 * narrow spaces and the minus sign some locales use are replaced by their Latin-1 cousins.
 */
const latin1 = (text: string) => text.replace(/[\u202f\u2009]/g, '\u00a0').replace(/\u2212/g, '-');

const euroFormat = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
const kronaFormat = new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK' });
const decimalFormat = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });

export const euro = (cents: number) => latin1(euroFormat.format(cents / 100));
export const kronor = (ore: number) => latin1(kronaFormat.format(ore / 100));
export const germanNumber = (value: number) => latin1(decimalFormat.format(value));
