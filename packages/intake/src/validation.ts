import type { z } from 'zod';
import type { InvalidParam } from './context.ts';

/**
 * Every problem in the input, one entry per field, in words that never repeat the value given: an
 * unknown field (a `bsn`, say) is named, its content is not.
 */
export function toInvalidParams(error: z.ZodError): InvalidParam[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ name: [...path, key].join('.'), reason: 'Unknown field' }));
    }
    return [{ name: path.join('.') || '(body)', reason: issue.message }];
  });
}
