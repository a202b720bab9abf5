import {
  electronicFormatIBAN,
  friendlyFormatIBAN,
  isValidBIC,
  ValidationErrorsIBAN,
  validateIBAN,
} from 'ibantools';
import { z } from 'zod';

const IBAN_PROBLEMS: Partial<Record<ValidationErrorsIBAN, string>> = {
  [ValidationErrorsIBAN.NoIBANCountry]: 'Not an IBAN country code (the first two letters)',
  [ValidationErrorsIBAN.WrongBBANLength]: 'Wrong length for an IBAN of this country',
  [ValidationErrorsIBAN.WrongBBANFormat]: 'Not the account number format of this country',
  [ValidationErrorsIBAN.ChecksumNotNumber]: 'The check digits (third and fourth characters) must be digits',
  [ValidationErrorsIBAN.WrongIBANChecksum]: 'The check digits do not match (mod-97): a typing mistake?',
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: 'The account number does not pass its own check',
};

/**
 * An IBAN as people type it (spaces, any case), checked with its mod-97 check digits and the
 * country's format, and given back in the electronic format banks take (`NL91ABNA0417164300`).
 */
export const IbanSchema = z
  .string()
  .max(50)
  .transform((value, ctx) => {
    const iban = electronicFormatIBAN(value) ?? '';
    const result = validateIBAN(iban);
    if (result.valid) return iban;
    const known = result.errorCodes.map((code) => IBAN_PROBLEMS[code]).find(Boolean);
    ctx.addIssue({ code: 'custom', message: known ?? 'Not a valid IBAN' });
    return z.NEVER;
  });

/** A BIC (SWIFT code) of 8 or 11 characters, in capitals. */
export const BicSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((value) => isValidBIC(value), 'Not a valid BIC: 8 or 11 letters and digits, like ABNANL2A');

/** For people: `NL91 ABNA 0417 1643 00`. */
export const displayIban = (iban: string): string => friendlyFormatIBAN(iban) ?? iban;
