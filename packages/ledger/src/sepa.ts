import { Document } from 'sepa';

/** The municipality's account, which pays (the debtor). */
export interface SepaDebtor {
  name: string;
  iban: string;
  bic?: string;
}

export interface SepaPayment {
  name: string;
  iban: string;
  amountCents: number;
  /** Unique per payment, at most 35 characters: the bank gives it back on the statement. */
  endToEndId: string;
  /** What the provider reads on its statement, at most 140 characters. */
  remittance: string;
}

export interface SepaCreditTransfer {
  /** Unique per file, at most 35 characters: banks refuse a message id they have seen. */
  messageId: string;
  createdAt: Date;
  /** `YYYY-MM-DD`. */
  executionDate: string;
  debtor: SepaDebtor;
  payments: SepaPayment[];
}

/**
 * SEPA's Latin character set (EPC guidelines): letters without diacritics, digits and `/ - ? : ( )
 * . , ' +` and space. Names are written in it so that no bank refuses the file: "Zorg & Welzijn
 * Sint-Jozef, Hoogeloon-Ée" becomes "Zorg en Welzijn Sint-Jozef, Hoogeloon-Ee".
 */
export function sepaText(value: string, max: number): string {
  const latin = value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/&/g, ' en ')
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return latin.slice(0, max).trim();
}

/** The bank file's format. */
export const SEPA_FORMAT = 'pain.001.001.09';

/**
 * An ISO 20022 `pain.001.001.09` credit transfer initiation, one payment per provider, from one
 * debtor account on one execution date, for the municipality's bank; written with `sepa`, which also
 * checks the IBANs, lengths and amounts as it writes. Its control sum is the sum of the payments.
 * Imported as `@wijkteams/ledger/sepa`, apart from the rest of the ledger: the Worker loads it with
 * the other documents only when a bank file is asked for.
 */
export function sepaCreditTransfer(transfer: SepaCreditTransfer): string {
  const doc = new Document(SEPA_FORMAT);
  doc.grpHdr.id = transfer.messageId;
  doc.grpHdr.created = transfer.createdAt;
  doc.grpHdr.initiatorName = sepaText(transfer.debtor.name, 70);

  const info = doc.createPaymentInfo();
  // Noon UTC: the library writes the day in local time, which is then the same day in any zone.
  info.requestedExecutionDate = new Date(`${transfer.executionDate}T12:00:00Z`);
  info.debtorName = sepaText(transfer.debtor.name, 70);
  info.debtorIBAN = transfer.debtor.iban;
  if (transfer.debtor.bic) info.debtorBIC = transfer.debtor.bic;
  doc.addPaymentInfo(info);

  for (const payment of transfer.payments) {
    const tx = info.createTransaction();
    tx.creditorName = sepaText(payment.name, 70);
    tx.creditorIBAN = payment.iban;
    tx.amount = payment.amountCents / 100;
    tx.end2endId = payment.endToEndId;
    tx.remittanceInfo = sepaText(payment.remittance, 140);
    info.addTransaction(tx);
  }
  return doc.toString();
}
