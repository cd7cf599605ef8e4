import QRCode from 'qrcode';
import type { InvoiceDetailResponse, InvoicesListResponse } from '../../../shared/api/invoices.ts';
import { Resource } from '../../lib/resource.svelte.ts';

/**
 * "Avier & fakturor" (seed 004): unpaid invoices by default, all on request; one invoice with its
 * payment QR code. The QR is drawn here from the server's `qrPayload` as a PNG data URL: the strict
 * CSP allows `data:` images but no inline markup ({@html}).
 */
class InvoicesState {
  /** Seed 004: "som förvalt dina just nu obetalda avier". */
  unpaidOnly = $state(true);
  // Resource.cached: readable offline from the service worker's last known copy (issue 6 item 6).
  list = Resource.cached<InvoicesListResponse>(
    () => `/invoices?unpaid=${this.unpaidOnly ? 'true' : 'false'}`,
  );
  currentId = $state<string | null>(null);
  detail = Resource.cached<InvoiceDetailResponse>(
    () => `/invoices/${encodeURIComponent(this.currentId ?? '')}`,
  );
  qrImage = $state<string | null>(null);

  setUnpaidOnly(value: boolean): void {
    this.unpaidOnly = value;
    void this.list.load();
  }

  async open(id: string): Promise<void> {
    if (id !== this.currentId) {
      this.detail.reset();
      this.qrImage = null;
      this.currentId = id;
    }
    await this.detail.load();
    const payload = this.detail.data?.invoice.qrPayload;
    if (this.currentId !== id) return;
    // Error correction M and a quiet zone of 4 modules, as EPC069-12 asks for the GiroCode.
    this.qrImage = payload
      ? await QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 4, width: 240 }).catch(
          () => null,
        )
      : null;
  }
}

export const invoices = new InvoicesState();
