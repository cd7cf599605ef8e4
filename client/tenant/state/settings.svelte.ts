import type {
  NotificationCategory,
  NotificationChannel,
  NotificationPreferencesResponse,
  ProfileResponse,
  PushSubscriptionListResponse,
  PushSubscriptionsDeletedResponse,
  UpdateProfileRequest,
} from '../../../shared/api/profile.ts';
import { api } from '../../lib/api.ts';
import { Resource } from '../../lib/resource.svelte.ts';

/** Settings beyond the login: contact data (seeds 002, 003), "Informationskanäle" (seed 003), push devices. */
class SettingsState {
  profile = new Resource(() => api.get<ProfileResponse>('/profile'));
  notifications = new Resource(() => api.get<NotificationPreferencesResponse>('/settings/notifications'));
  devices = new Resource(() => api.get<PushSubscriptionListResponse>('/push/subscriptions'));

  load(): void {
    void this.profile.load();
    void this.notifications.load();
    void this.devices.load();
  }

  async saveProfile(request: UpdateProfileRequest): Promise<void> {
    this.profile.data = await api.patch<ProfileResponse>('/profile', request);
  }

  setChannel(category: NotificationCategory, channel: NotificationChannel, on: boolean): void {
    const preferences = this.notifications.data?.preferences;
    if (preferences) preferences[category][channel] = on;
  }

  async saveNotifications(): Promise<void> {
    const current = this.notifications.data;
    if (!current) return;
    this.notifications.data = await api.put<NotificationPreferencesResponse>('/settings/notifications', {
      preferences: current.preferences,
    });
  }

  async removeDevice(id: string): Promise<void> {
    await api.delete<PushSubscriptionsDeletedResponse>(`/push/subscriptions/${encodeURIComponent(id)}`);
    await this.devices.load();
  }

  async removeAllDevices(): Promise<void> {
    await api.delete<PushSubscriptionsDeletedResponse>('/push/subscriptions');
    await this.devices.load();
  }
}

export const settings = new SettingsState();
