import { describe, expect, it } from 'vitest';
import type { BuildingContactsDto } from '../../shared/api/home.ts';
import { emergencyPhone, telHref } from '../../client/tenant/components/requests/emergency.ts';

const house = (address: string, phone: string | null): BuildingContactsDto => ({
  buildingId: address,
  address,
  contacts: [
    { role: 'caretaker', name: 'Hauswart', email: null, phone: '+49 30 1', hours: 'Mo–Fr' },
    { role: 'service_centre', name: '24-h-Notdienst', email: null, phone, hours: 'rund um die Uhr' },
  ],
});

/** The 24-hour number the request form and the contacts page offer as a call button (issue 16). */
describe('the emergency number', () => {
  it('is the service centre of the contract’s house, else of any house, never the caretaker', () => {
    const houses = [
      house('Musterstraße 1, 10115 Berlin', '+49 30 111'),
      house('Musterstraße 5, 10115 Berlin', '+49 30 555'),
    ];
    expect(emergencyPhone(houses, 'Musterstraße 5, 10115 Berlin')).toBe('+49 30 555');
    expect(emergencyPhone(houses, undefined)).toBe('+49 30 111');
    expect(emergencyPhone([house('A', null), house('B', '+46 40 99')], 'A')).toBe('+46 40 99');
    expect(emergencyPhone([house('A', null)], 'A')).toBeNull();
    expect(emergencyPhone([], undefined)).toBeNull();
  });

  it('dials digits and the leading plus only', () => {
    expect(telHref('+49 30 23125 000')).toBe('tel:+493023125000');
    expect(telHref('040-99 12 34')).toBe('tel:040991234');
  });
});
