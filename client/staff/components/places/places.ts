import type { StaffPlacesDto } from '../../../../shared/api/staff-notices.ts';

export type PlaceKind = 'estate' | 'building';

export interface PlaceOption {
  id: string;
  label: string;
}

/** The choices of the place picker: estates by name, buildings by address, each with the city. */
export function placeOptions(places: StaffPlacesDto, kind: PlaceKind): PlaceOption[] {
  return kind === 'estate'
    ? places.estates.map((e) => ({ id: e.id, label: `${e.name}, ${e.city}` }))
    : places.buildings.map((b) => ({ id: b.id, label: `${b.street} ${b.houseNumber}, ${b.city}` }));
}

/** The short name of a scope id in lists ("Musterstraße 1" or the estate's name); '' if unknown. */
export function placeName(places: StaffPlacesDto, id: string | undefined): string {
  const estate = places.estates.find((e) => e.id === id);
  if (estate) return estate.name;
  const building = places.buildings.find((b) => b.id === id);
  return building ? `${building.street} ${building.houseNumber}` : '';
}
