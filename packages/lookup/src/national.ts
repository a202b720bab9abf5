import { type Municipality, municipalityByName } from './cbs/municipalities.ts';
import { parsePc4Csv } from './cbs/pc4.ts';
import { PC4_NL_CSV } from './cbs/pc4-nl.generated.ts';

/**
 * Which municipality serves each PC4 area, for the national lookup: a 10,000-slot typed array of
 * indexes into the municipality list, so the whole country fits in about 20 KB.
 */
export class NationalIndex {
  readonly #slots = new Int16Array(10_000).fill(-1);
  readonly #municipalities: Municipality[] = [];

  constructor() {
    const indexOf = new Map<string, number>();
    // Parsed here and dropped: the index keeps one small integer per PC4, not the parsed rows.
    for (const area of parsePc4Csv(PC4_NL_CSV)) {
      const municipality = area.municipality ? municipalityByName(area.municipality) : undefined;
      if (!municipality) continue;
      let index = indexOf.get(municipality.code);
      if (index === undefined) {
        index = this.#municipalities.push(municipality) - 1;
        indexOf.set(municipality.code, index);
      }
      this.#slots[Number(area.pc4)] = index;
    }
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
