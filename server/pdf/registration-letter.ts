/**
 * The registration letter (seeds 001 and 002: "Registrierungscode … per Post"): the landlord's
 * letterhead, the tenant's address in the DIN 5008 window, the code in large type, the steps in the
 * tenant's language and a QR code to the registration page. Several letters make one multi-page
 * PDF for printing. Pure renderer: the caller supplies codes and addresses.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { qrPng } from './payment-qr.ts';
import { drawLetterFooter, drawLetterHead, letterSender, type LetterHead } from './letter-layout.ts';
import type { LegalDetails } from './legal-details.ts';
import {
  CONTENT_WIDTH,
  FONT,
  GREY,
  PAGE,
  addressLines,
  figure,
  finish,
  openDocument,
  openSharedImage,
  rule,
  section,
  write,
  type DocumentLocale,
  type PostalAddress,
  type RenderOptions,
} from './pdf-kit.ts';
import { formatDate, intlLocale } from './money-format.ts';

export interface LetterSender extends PostalAddress {
  email?: string;
  phone?: string;
  legal?: LegalDetails;
}

export interface RegistrationLetter {
  locale: DocumentLocale;
  recipient: PostalAddress;
  salutationName: string;
  customerNumber: string | null;
  code: string;
  /** The office this letter comes from when not the default sender (a Swedish building's office). */
  sender?: LetterSender;
}

export interface RegistrationLettersInput {
  sender: LetterSender;
  /** ISO `YYYY-MM-DD`. */
  issuedOn: string;
  /** PUBLIC_URL + "/register". */
  registerUrl: string;
  letters: RegistrationLetter[];
}

const de = {
  title: 'Ihr Zugang zum Mieterportal',
  greeting: (name: string) => `Guten Tag ${name},`,
  intro:
    'ab sofort können Sie Ihre Verträge, Rechnungen und Dokumente online einsehen und Anliegen direkt an uns senden. Mit dem folgenden Registrierungscode legen Sie Ihren persönlichen Zugang an.',
  codeLabel: 'Ihr Registrierungscode',
  customerNumber: 'Kundennummer',
  date: 'Datum',
  qrAlt: 'QR-Code mit der Adresse der Registrierungsseite',
  steps: [
    'Öffnen Sie die unten stehende Adresse oder scannen Sie den QR-Code.',
    'Geben Sie den Registrierungscode, Ihre E-Mail-Adresse und ein Passwort ein.',
    'Bestätigen Sie Ihre E-Mail-Adresse über den Link, den wir Ihnen senden.',
  ],
  keepSecret:
    'Der Code ist persönlich und nur einmal verwendbar. Geben Sie ihn nicht weiter. Haben Sie ihn verloren, erhalten Sie von uns einen neuen; der alte Code wird dann ungültig.',
  closing: 'Mit freundlichen Grüßen',
};

const TEXT: Record<DocumentLocale, typeof de> = {
  de,
  en: {
    title: 'Your access to the tenant portal',
    greeting: (name: string) => `Dear ${name},`,
    intro:
      'You can now view your contracts, invoices and documents online and send us your requests directly. Use the registration code below to create your personal login.',
    codeLabel: 'Your registration code',
    customerNumber: 'Customer number',
    date: 'Date',
    qrAlt: 'QR code with the address of the registration page',
    steps: [
      'Open the address below or scan the QR code.',
      'Enter the registration code, your e-mail address and a password.',
      'Confirm your e-mail address with the link we send you.',
    ],
    keepSecret:
      'The code is personal and can be used only once. Do not pass it on. If you lose it, we will send you a new one; the old code then stops working.',
    closing: 'Kind regards',
  },
  sv: {
    title: 'Din inloggning till hyresgästportalen',
    greeting: (name: string) => `Hej ${name},`,
    intro:
      'Nu kan du se dina avtal, fakturor och dokument online och skicka dina ärenden direkt till oss. Med registreringskoden nedan skapar du din personliga inloggning.',
    codeLabel: 'Din registreringskod',
    customerNumber: 'Kundnummer',
    date: 'Datum',
    qrAlt: 'QR-kod med adressen till registreringssidan',
    steps: [
      'Öppna adressen nedan eller skanna QR-koden.',
      'Ange registreringskoden, din e-postadress och ett lösenord.',
      'Bekräfta din e-postadress via länken som vi skickar till dig.',
    ],
    keepSecret:
      'Koden är personlig och kan bara användas en gång. Lämna inte ut den. Om du tappar bort den skickar vi en ny; den gamla koden slutar då att gälla.',
    closing: 'Med vänliga hälsningar',
  },
};

const QR_SIZE = 110;
const lettersPerSlice = 8;

export async function renderRegistrationLetters(
  input: RegistrationLettersInput,
  options: RenderOptions = {},
): Promise<Buffer> {
  const first = input.letters[0];
  if (!first) throw new RangeError('At least one registration letter is needed');
  const qr = qrPng(input.registerUrl, 6);
  const doc = openDocument(
    { title: TEXT[first.locale].title, author: input.sender.name, locale: first.locale },
    options,
  );
  const qrImage = openSharedImage(doc, qr);
  for (const [index, letter] of input.letters.entries()) {
    if (index > 0) doc.addPage({ size: 'A4', margin: 0 });
    // Each letter is a section in its reader's language: a batch mixes German, English and Swedish.
    section(doc, 'Sect', { lang: intlLocale(letter.locale) }, () => drawLetter(doc, input, letter, qrImage));
    // A building's letters run to hundreds of pages (about 1.4 ms each): the live layer and
    // other requests are served between every few of them instead of waiting for the whole PDF.
    if (index % lettersPerSlice === lettersPerSlice - 1) await yieldToEventLoop();
  }
  return finish(doc);
}

function drawLetter(
  doc: PDFKit.PDFDocument,
  input: RegistrationLettersInput,
  letter: RegistrationLetter,
  qr: PDFKit.Mixins.ImageSrc,
): void {
  const sender = letter.sender ?? input.sender;
  const t = TEXT[letter.locale];
  const info: Array<[string, string]> = [[t.date, formatDate(input.issuedOn, letter.locale)]];
  if (letter.customerNumber) info.push([t.customerNumber, letter.customerNumber]);
  const head: LetterHead = {
    locale: letter.locale,
    sender: letterSender(sender),
    recipient: addressLines(letter.recipient, sender.country, letter.locale),
    info,
  };
  let y = drawLetterHead(doc, head);
  y = write(doc, t.title, PAGE.left, y, { font: FONT.bold, size: 17, tag: 'H1' }) + 14;
  y = write(doc, t.greeting(letter.salutationName), PAGE.left, y, { width: CONTENT_WIDTH }) + 6;
  y = write(doc, t.intro, PAGE.left, y, { width: CONTENT_WIDTH }) + 16;

  rule(doc, y);
  y = write(doc, t.codeLabel, PAGE.left, y + 10, { color: GREY, tag: 'H2' }) + 4;
  y = write(doc, letter.code, PAGE.left, y, { font: FONT.mono, size: 22 }) + 4;
  rule(doc, y + 6);
  y += 20;

  const stepsTop = y;
  const textWidth = CONTENT_WIDTH - QR_SIZE - 20;
  section(doc, 'L', {}, () => {
    t.steps.forEach((step, index) => {
      section(doc, 'LI', {}, () => {
        write(doc, `${index + 1}.`, PAGE.left, y, { width: 14, tag: 'Lbl' });
        y = write(doc, step, PAGE.left + 14, y, { width: textWidth - 14, tag: 'LBody' }) + 4;
      });
    });
  });
  y = write(doc, input.registerUrl, PAGE.left, y + 4, { font: FONT.bold, width: textWidth }) + 4;
  figure(doc, qr, PAGE.right - QR_SIZE, stepsTop, QR_SIZE, t.qrAlt);
  y = Math.max(y, stepsTop + QR_SIZE) + 16;
  y = write(doc, t.keepSecret, PAGE.left, y, { width: CONTENT_WIDTH, size: 8.5, color: GREY }) + 18;
  y = write(doc, t.closing, PAGE.left, y) + 4;
  write(doc, sender.name, PAGE.left, y);
  drawLetterFooter(doc, head);
}
