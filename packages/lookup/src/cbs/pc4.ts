import { PC4_NL } from './pc4-nl.generated.ts';

/** A 4-digit postcode area with residents, and the municipality that serves it (CBS, 2022 boundaries). */
export interface Pc4Area {
  pc4: string;
  /** Null where the CBS data says `NA`. */
  place: string | null;
  /** Null for the 21 areas that CBS does not assign to a municipality (`NA` in the data). */
  municipality: string | null;
  province: string | null;
  /** Null where CBS does not publish a count (small areas); otherwise at least 0. */
  residents: number | null;
}

/**
 * The PC4 data as the code ships it (`pc4-nl.generated.ts`, written by `npm run data:generate`
 * from data/pc4-nl.csv): one array per column, names as indexes into one list of names, postcodes
 * as the step from the one before, -1 for `NA`. About a third of the CSV's size, with nothing to
 * parse; the centroids (`lat`, `lon`) of the CSV are left out, as nothing uses them.
 */
export interface Pc4Columns {
  names: string[];
  pc4Steps: number[];
  place: number[];
  municipality: number[];
  province: number[];
  residents: number[];
}

/** Calls `visit` for every PC4 area in ascending order, with its municipality's name or null. */
export function forEachPc4(visit: (pc4: number, row: number, municipality: string | null) => void): void {
  let pc4 = 0;
  for (let row = 0; row < PC4_NL.pc4Steps.length; row++) {
    pc4 += PC4_NL.pc4Steps[row] ?? 0;
    visit(pc4, row, nameAt(PC4_NL.municipality[row]));
  }
}

const nameAt = (index: number | undefined) =>
  index === undefined || index < 0 ? null : (PC4_NL.names[index] ?? null);

let cached: Pc4Area[] | undefined;

/** Every PC4 area in the CBS data, decoded once per process or isolate. */
export function nationalPc4Areas(): Pc4Area[] {
  if (!cached) {
    const areas: Pc4Area[] = [];
    forEachPc4((pc4, row, municipality) => {
      const residents = PC4_NL.residents[row] ?? -1;
      areas.push({
        pc4: String(pc4),
        place: nameAt(PC4_NL.place[row]),
        municipality,
        province: nameAt(PC4_NL.province[row]),
        residents: residents < 0 ? null : residents,
      });
    });
    cached = areas;
  }
  return cached;
}

export function pc4AreasOf(municipality: string): Pc4Area[] {
  return nationalPc4Areas().filter((a) => a.municipality === municipality);
}
