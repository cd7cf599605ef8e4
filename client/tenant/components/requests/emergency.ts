import type { BuildingContactsDto } from '../../../../shared/api/home.ts';

/**
 * The landlord's 24-hour number for a house: its service centre ("Service-Center und 24-h-Notdienst",
 * "Jour vid akuta fel"), preferring the house at `address` (the contract's), then any house's.
 */
export function emergencyPhone(
  buildings: readonly BuildingContactsDto[],
  address: string | undefined,
): string | null {
  const ordered = [...buildings].sort(
    (a, b) => Number(b.address === address) - Number(a.address === address),
  );
  for (const building of ordered) {
    const centre = building.contacts.find((contact) => contact.role === 'service_centre' && contact.phone);
    if (centre?.phone) return centre.phone;
  }
  return null;
}

/** tel: wants the digits and a leading +, without the spaces people write. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;
