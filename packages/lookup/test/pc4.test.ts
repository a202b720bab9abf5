import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pc4Columns } from '../src/cbs/bundle.ts';
import { parsePc4Csv } from '../src/cbs/csv.ts';
import { MUNICIPALITIES_CSV } from '../src/cbs/municipalities.generated.ts';
import { PC4_NL } from '../src/cbs/pc4-nl.generated.ts';
import {
  allMunicipalities,
  municipalityByCode,
  municipalityByName,
  nationalPc4Areas,
  pc4AreasOf,
} from '../src/index.ts';

describe('the CBS PC4 data', () => {
  it('is bundled from data/*.csv: every row and field of it, but the centroids nothing uses', () => {
    const csv = readFileSync(new URL('../data/pc4-nl.csv', import.meta.url), 'utf8');
    expect(PC4_NL).toEqual(pc4Columns(csv));
    expect(nationalPc4Areas()).toEqual(parsePc4Csv(csv).map(({ lat: _lat, lon: _lon, ...area }) => area));
    expect(MUNICIPALITIES_CSV).toBe(
      readFileSync(new URL('../data/municipalities.csv', import.meta.url), 'utf8'),
    );
  });

  it('lists every PC4 area with residents and its municipality', () => {
    const areas = nationalPc4Areas();
    expect(areas).toHaveLength(4074);
    // The data's README says 355 municipalities; parsed as CSV (one name, "Nuenen, Gerwen en
    // Nederwetten", is quoted) it holds 353 plus `NA` for 21 areas CBS assigns to none.
    expect(new Set(areas.map((a) => a.municipality).filter(Boolean)).size).toBe(353);
    expect(areas.filter((a) => a.municipality === null)).toHaveLength(21);
    expect(areas.every((a) => /^[1-9]\d{3}$/.test(a.pc4) && (a.residents === null || a.residents >= 0))).toBe(
      true,
    );
    expect(areas.find((a) => a.pc4 === '5671')?.municipality).toBe('Nuenen, Gerwen en Nederwetten');
    expect(areas.find((a) => a.pc4 === '9712')).toMatchObject({
      place: 'Groningen',
      municipality: 'Groningen',
    });
  });

  it.each([
    ['Zeist', 13],
    ['Groningen', 48],
    ['Alkmaar', 31],
    ['Noordoostpolder', 16],
    ['Waalre', 3],
  ])('has the PC4 areas of %s (%i)', (municipality, count) => {
    expect(pc4AreasOf(municipality)).toHaveLength(count);
  });
});

describe('the CBS municipality codes', () => {
  it('give every municipality of the PC4 data exactly one code', () => {
    const names = new Set(nationalPc4Areas().flatMap((a) => (a.municipality ? [a.municipality] : [])));
    const all = allMunicipalities();
    expect(all).toHaveLength(names.size);
    expect(new Set(all.map((m) => m.code)).size).toBe(all.length);
    for (const name of names) expect(municipalityByName(name)?.code).toMatch(/^GM\d{4}$/);
  });

  it.each([
    ['GM0014', 'Groningen'],
    ['GM0355', 'Zeist'],
    ['GM0361', 'Alkmaar'],
    ['GM0171', 'Noordoostpolder'],
    ['GM0866', 'Waalre'],
    ['GM0820', 'Nuenen, Gerwen en Nederwetten'],
  ])('knows %s as %s', (code, name) => {
    expect(municipalityByCode(code)?.name).toBe(name);
  });
});
