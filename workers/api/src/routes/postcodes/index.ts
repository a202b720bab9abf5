import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerExportPostcodeAreas } from '../postcode-areas/export.ts';
import { registerReplacePostcodeAreas } from '../postcode-areas/replace.ts';
import { registerLookupPostcode } from './lookup.ts';
import { registerNationalLookup } from './national.ts';

export function registerPostcodeRoutes(app: OpenAPIHono<AppEnv>) {
  registerNationalLookup(app);
  registerLookupPostcode(app);
  registerExportPostcodeAreas(app);
  registerReplacePostcodeAreas(app);
}
