import type {
  CreateWebhookRequest,
  CreatedWebhookDto,
  WebhookDeliveriesDto,
  WebhookDeliveryDto,
  WebhooksDto,
} from '../../../shared/api/webhooks.ts';
import { api } from '../../lib/api.ts';
import { Resource } from '../../lib/resource.svelte.ts';

const base = '/staff/admin/webhooks';
const path = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Webhooks out to the ERP (issue 14 item 6): endpoints, their recent deliveries, resend, new secret. */
class WebhooksState {
  list = new Resource(() => api.get<WebhooksDto>(base));
  /** The webhook whose deliveries are open (one at a time keeps the page short). */
  openId = $state<string | null>(null);
  deliveries = new Resource(() =>
    this.openId
      ? api.get<WebhookDeliveriesDto>(`${path(this.openId)}/deliveries`)
      : Promise.resolve({ deliveries: [] }),
  );
  /** A secret just made (create or rotate), shown once until dismissed. */
  secret = $state<{ webhookId: string; url: string; secret: string; rotated: boolean } | null>(null);
  failure = $state<unknown>(null);
  /** The last outcome, for the live region. */
  status = $state('');
  busy = $state(false);

  async #run(action: () => Promise<void>): Promise<unknown> {
    this.failure = null;
    this.status = '';
    this.busy = true;
    try {
      await action();
      return null;
    } catch (error) {
      this.failure = error;
      return error;
    } finally {
      this.busy = false;
    }
  }

  create(input: CreateWebhookRequest): Promise<unknown> {
    return this.#run(async () => {
      const { webhook, secret } = await api.post<CreatedWebhookDto>(base, input);
      this.secret = { webhookId: webhook.id, url: webhook.url, secret, rotated: false };
      await this.list.load();
    });
  }

  remove(id: string, done: string): Promise<unknown> {
    return this.#run(async () => {
      await api.delete(path(id));
      if (this.openId === id) this.closeDeliveries();
      if (this.secret?.webhookId === id) this.secret = null;
      this.status = done;
      await this.list.load();
    });
  }

  rotate(id: string): Promise<unknown> {
    return this.#run(async () => {
      const { webhook, secret } = await api.post<CreatedWebhookDto>(`${path(id)}/rotate-secret`);
      this.secret = { webhookId: webhook.id, url: webhook.url, secret, rotated: true };
    });
  }

  resend(id: string, deliveryId: string, done: string): Promise<unknown> {
    return this.#run(async () => {
      const { delivery } = await api.post<{ delivery: WebhookDeliveryDto }>(
        `${path(id)}/deliveries/${encodeURIComponent(deliveryId)}/resend`,
      );
      const current = this.deliveries.data;
      if (current && this.openId === id)
        this.deliveries.data = {
          deliveries: current.deliveries.map((row) => (row.id === delivery.id ? delivery : row)),
        };
      this.status = done;
    });
  }

  toggleDeliveries(id: string): void {
    if (this.openId === id) return this.closeDeliveries();
    this.deliveries.reset();
    this.openId = id;
    void this.deliveries.load();
  }

  closeDeliveries(): void {
    this.openId = null;
    this.deliveries.reset();
  }

  forgetSecret(): void {
    this.secret = null;
  }
}

export const webhooks = new WebhooksState();
