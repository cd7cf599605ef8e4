import type { BuildingInsert, EstateInsert, UnitInsert } from '../../db/repositories/estates.ts';
import { DEMO_ESTATES } from './demo-constants.ts';
import type { SeedContext } from './context.ts';

/** A building as the rest of the plan needs it: its row plus the codes numbers are built from. */
export interface BuildingPlan {
  row: BuildingInsert & { id: string };
  /** Estate code + house number, the prefix of contract numbers, e.g. "1001". */
  code: string;
  language: 'de' | 'sv';
  timeZone: string;
}

export interface UnitPlan {
  row: UnitInsert & { id: string };
  building: BuildingPlan;
}

export interface EstatePlan {
  estates: (EstateInsert & { id: string })[];
  buildings: BuildingPlan[];
  units: UnitPlan[];
}

interface FlatLayout {
  areaSqm: number;
  rooms: number;
}

// Berlin: three houses of a 1950s-style block, the same layout stacked on every floor.
// Unit numbers are house.flat ("1.02" = Musterstraße 1, flat 02), as on many German door plates.
const berlinHouses: { houseNumber: string; floors: number; layout: FlatLayout[] }[] = [
  {
    houseNumber: '1',
    floors: 4,
    layout: [
      { areaSqm: 48.3, rooms: 2 },
      { areaSqm: 64.5, rooms: 2.5 },
      { areaSqm: 78.9, rooms: 3 },
    ],
  },
  {
    houseNumber: '3',
    floors: 5,
    layout: [
      { areaSqm: 71.2, rooms: 3 },
      { areaSqm: 56.8, rooms: 2 },
    ],
  },
  {
    houseNumber: '5',
    floors: 4,
    layout: [
      { areaSqm: 92.4, rooms: 4 },
      { areaSqm: 61.0, rooms: 2.5 },
    ],
  },
];

// Malmö: shops on the street, offices above, a garage (seed 004: Utlandagatan, commercial leases).
const malmoUnits: Omit<UnitInsert, 'id' | 'buildingId'>[] = [
  { number: '0101', kind: 'commercial', floor: 0, areaSqm: 142.0 },
  { number: '0102', kind: 'commercial', floor: 0, areaSqm: 96.5 },
  { number: '0201', kind: 'commercial', floor: 1, areaSqm: 238.0 },
  { number: '0202', kind: 'commercial', floor: 1, areaSqm: 185.5 },
  ...['P01', 'P02', 'P03', 'P04', 'P05', 'P06'].map((number) => ({
    number,
    kind: 'parking' as const,
    floor: -1,
    areaSqm: 12.5,
  })),
];

export function planEstates(context: SeedContext): EstatePlan {
  const { newId } = context;
  const berlin = { id: newId(), ...DEMO_ESTATES.berlin };
  const malmo = { id: newId(), ...DEMO_ESTATES.malmo };
  const buildings: BuildingPlan[] = [];
  const units: UnitPlan[] = [];

  for (const house of berlinHouses) {
    const building: BuildingPlan = {
      row: {
        id: newId(),
        estateId: berlin.id,
        street: 'Musterstraße',
        houseNumber: house.houseNumber,
        postalCode: '10115',
        city: 'Berlin',
        country: 'DE',
        use: 'residential',
        currency: 'EUR',
      },
      code: `10${house.houseNumber.padStart(2, '0')}`,
      language: 'de',
      timeZone: 'Europe/Berlin',
    };
    buildings.push(building);
    for (let index = 0; index < house.floors * house.layout.length; index++) {
      const layout = house.layout[index % house.layout.length] as FlatLayout;
      const number = `${house.houseNumber}.${String(index + 1).padStart(2, '0')}`;
      units.push({
        building,
        row: {
          id: newId(),
          buildingId: building.row.id,
          number,
          kind: 'flat',
          floor: Math.floor(index / house.layout.length),
          ...layout,
        },
      });
    }
  }

  const malmoBuilding: BuildingPlan = {
    row: {
      id: newId(),
      estateId: malmo.id,
      street: 'Utlandagatan',
      houseNumber: '6',
      postalCode: '212 14',
      city: 'Malmö',
      country: 'SE',
      use: 'commercial',
      currency: 'SEK',
    },
    code: '2006',
    language: 'sv',
    timeZone: 'Europe/Stockholm',
  };
  buildings.push(malmoBuilding);
  for (const unit of malmoUnits) {
    units.push({ building: malmoBuilding, row: { id: newId(), buildingId: malmoBuilding.row.id, ...unit } });
  }

  return { estates: [berlin, malmo], buildings, units };
}

export function findUnit(plan: EstatePlan, number: string): UnitPlan {
  const unit = plan.units.find((candidate) => candidate.row.number === number);
  if (!unit) throw new Error(`demo plan has no unit ${number}`);
  return unit;
}

export function findBuilding(plan: EstatePlan, houseNumber: string, city = 'Berlin'): BuildingPlan {
  const building = plan.buildings.find(
    (candidate) => candidate.row.houseNumber === houseNumber && candidate.row.city === city,
  );
  if (!building) throw new Error(`demo plan has no building ${houseNumber} in ${city}`);
  return building;
}
