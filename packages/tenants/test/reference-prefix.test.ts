import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseReferencePrefix, REFERENCE_PREFIX_PATTERN, referencePrefixCandidates } from '../src/index.ts';

describe('reference prefixes', () => {
  it('derive from the name: three letters of a one-word name, initials where it starts with an article', () => {
    expect(referencePrefixCandidates('Gemeente Groningen')[0]).toBe('GRO');
    expect(referencePrefixCandidates('Gemeente Den Haag')[0]).toBe('DHA');
    expect(referencePrefixCandidates('Gemeente Den Helder')[0]).toBe('DHE');
    expect(referencePrefixCandidates('Súdwest-Fryslân')[0]).toBe('SFR');
    expect(referencePrefixCandidates("'s-Hertogenbosch")[0]).toBe('HER');
    expect(referencePrefixCandidates('Bergen (NH.)')[0]).toBe('BER');
  });

  it('fall back to the next free one: Heerlen, Heerde and Heerenveen each get their own', () => {
    const taken = new Set<string>();
    for (const name of ['Heerlen', 'Heerde', 'Heerenveen']) taken.add(chooseReferencePrefix(name, taken));
    expect([...taken]).toEqual(['HEE', 'HER', 'HEN']);
  });

  it('property: any name gives three capital letters, and a free one while any is free', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.uniqueArray(fc.stringMatching(/^[A-Z]{3}$/), { maxLength: 200 }),
        (name, taken) => {
          const prefix = chooseReferencePrefix(name, new Set(taken));
          expect(prefix).toMatch(REFERENCE_PREFIX_PATTERN);
          expect(taken).not.toContain(prefix);
        },
      ),
    );
  });
});
