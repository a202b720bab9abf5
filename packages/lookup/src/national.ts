import { type Municipality, municipalityByName } from './cbs/municipalities.ts';
import { forEachPc4 } from './cbs/pc4.ts';

/**
 * Which municipality serves each PC4 area, for the national lookup: a 10,000-slot typed array of
 * indexes into the municipality list, so the whole country fits in about 20 KB.
 */
export class NationalIndex {
  readonly #slots = new Int16Array(10_000).fill(-1);
  readonly #municipalities: Municipality[] = [];

  constructor() {
    const indexOf = new Map<string, number>();
    // Read from the shipped columns: the index keeps one small integer per PC4, no row objects.
    forEachPc4((pc4, _row, name) => {
      const municipality = name ? municipalityByName(name) : undefined;
      if (!municipality) return;
      let index = indexOf.get(municipality.code);
      if (index === undefined) {
        index = this.#municipalities.push(municipality) - 1;
        indexOf.set(municipality.code, index);
      }
      this.#slots[pc4] = index;
    });
  }

  municipalityOf(pc4: string): Municipality | undefined {
    const index = this.#slots[Number(pc4)] ?? -1;
    return index < 0 ? undefined : this.#municipalities[index];
  }
}

let shared: NationalIndex | undefined;

/** One per isolate, built on first use. */
export function nationalIndex(): NationalIndex {
  shared ??= new NationalIndex();
  return shared;
}
