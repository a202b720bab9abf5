import Papa from 'papaparse';
import { MUNICIPALITIES_CSV } from './municipalities.generated.ts';

/** A municipality in the CBS data: its code (`GM0014`) and name as the PC4 data spells it. */
export interface Municipality {
  code: string;
  name: string;
}

let byCode: Map<string, Municipality> | undefined;
let byName: Map<string, Municipality> | undefined;

function load() {
  if (!byCode || !byName) {
    const { data, errors } = Papa.parse<Municipality>(MUNICIPALITIES_CSV.trim(), { header: true });
    if (errors.length > 0) throw new Error(`Municipality data, row ${errors[0]?.row}: ${errors[0]?.message}`);
    byCode = new Map(data.map((m) => [m.code, m]));
    byName = new Map(data.map((m) => [m.name, m]));
  }
  return { byCode, byName };
}

export function municipalityByCode(code: string): Municipality | undefined {
  return load().byCode.get(code);
}

export function municipalityByName(name: string): Municipality | undefined {
  return load().byName.get(name);
}

export function allMunicipalities(): Municipality[] {
  return [...load().byCode.values()];
}
