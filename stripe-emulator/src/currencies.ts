import { invalidRequest } from "./errors";

/**
 * Currencies, minimum charge amounts and fees, per currency.
 *
 * The list is the one Stripe names in its own "Invalid currency" error. Minimums are Stripe's
 * published minimum charge amounts (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
 * Fees: the emulated account is taken to be in the country whose currency the charge is in, and
 * to settle in that currency (no conversion, so no exchange rate), paying that country's standard
 * price for a domestic card. Amounts are always in the currency's minor unit.
 */
export const SUPPORTED_CURRENCIES = [
  "usd",
  "aed",
  "afn",
  "all",
  "amd",
  "ang",
  "aoa",
  "ars",
  "aud",
  "awg",
  "azn",
  "bam",
  "bbd",
  "bdt",
  "bgn",
  "bhd",
  "bif",
  "bmd",
  "bnd",
  "bob",
  "brl",
  "bsd",
  "bwp",
  "byn",
  "bzd",
  "cad",
  "cdf",
  "chf",
  "clp",
  "cny",
  "cop",
  "crc",
  "cve",
  "czk",
  "djf",
  "dkk",
  "dop",
  "dzd",
  "egp",
  "etb",
  "eur",
  "fjd",
  "fkp",
  "gbp",
  "gel",
  "gip",
  "gmd",
  "gnf",
  "gtq",
  "gyd",
  "hkd",
  "hnl",
  "hrk",
  "htg",
  "huf",
  "idr",
  "ils",
  "inr",
  "isk",
  "jmd",
  "jod",
  "jpy",
  "kes",
  "kgs",
  "khr",
  "kmf",
  "krw",
  "kwd",
  "kyd",
  "kzt",
  "lak",
  "lbp",
  "lkr",
  "lrd",
  "lsl",
  "mad",
  "mdl",
  "mga",
  "mkd",
  "mmk",
  "mnt",
  "mop",
  "mro",
  "mur",
  "mvr",
  "mwk",
  "mxn",
  "myr",
  "mzn",
  "nad",
  "ngn",
  "nio",
  "nok",
  "npr",
  "nzd",
  "omr",
  "pab",
  "pen",
  "pgk",
  "php",
  "pkr",
  "pln",
  "pyg",
  "qar",
  "ron",
  "rsd",
  "rub",
  "rwf",
  "sar",
  "sbd",
  "scr",
  "sek",
  "sgd",
  "shp",
  "sll",
  "sos",
  "srd",
  "std",
  "szl",
  "thb",
  "tjs",
  "tnd",
  "top",
  "try",
  "ttd",
  "twd",
  "tzs",
  "uah",
  "ugx",
  "uyu",
  "uzs",
  "vnd",
  "vuv",
  "wst",
  "xaf",
  "xcd",
  "xof",
  "xpf",
  "yer",
  "zar",
  "zmw",
] as const;

const SUPPORTED = new Set<string>(SUPPORTED_CURRENCIES);

/** Amounts in these currencies have no minor unit (¥50 is `50`). */
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

/** Stripe's published minimum charge amounts, in minor units. */
const MINIMUM_CHARGE: Record<string, number> = {
  usd: 50,
  aed: 200,
  aud: 50,
  bgn: 100,
  brl: 50,
  cad: 50,
  chf: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  inr: 50,
  jpy: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  pln: 200,
  ron: 200,
  sek: 300,
  sgd: 50,
  thb: 1000,
};

/**
 * Stripe's minimum for other currencies is $0.50 converted at the day's rate; without exchange
 * rates the emulator asks for 50 of the currency's minor unit.
 */
const DEFAULT_MINIMUM_CHARGE = 50;

export const MAXIMUM_CHARGE = 99_999_999;

/** `percentBasisPoints` (1/100 of a percent) of the amount, rounded half-up, plus `fixed` minor units. */
export type CardPrice = { country: string; percentBasisPoints: number; fixed: number };

/** Standard prices for domestic cards in the country of each currency (stripe.com/pricing). */
const CARD_PRICES: Record<string, CardPrice> = {
  usd: { country: "US", percentBasisPoints: 290, fixed: 30 },
  cad: { country: "CA", percentBasisPoints: 290, fixed: 30 },
  eur: { country: "DE", percentBasisPoints: 150, fixed: 25 },
  gbp: { country: "GB", percentBasisPoints: 150, fixed: 20 },
  aud: { country: "AU", percentBasisPoints: 170, fixed: 30 },
  nzd: { country: "NZ", percentBasisPoints: 265, fixed: 30 },
  jpy: { country: "JP", percentBasisPoints: 360, fixed: 0 },
  chf: { country: "CH", percentBasisPoints: 290, fixed: 30 },
  sgd: { country: "SG", percentBasisPoints: 340, fixed: 50 },
  hkd: { country: "HK", percentBasisPoints: 340, fixed: 235 },
  mxn: { country: "MX", percentBasisPoints: 360, fixed: 300 },
  sek: { country: "SE", percentBasisPoints: 150, fixed: 180 },
  nok: { country: "NO", percentBasisPoints: 240, fixed: 200 },
  dkk: { country: "DK", percentBasisPoints: 150, fixed: 180 },
  pln: { country: "PL", percentBasisPoints: 150, fixed: 100 },
  brl: { country: "BR", percentBasisPoints: 399, fixed: 39 },
};

/**
 * Any other currency: a US account's 2.9% plus Stripe's 1% currency conversion. The fixed 30¢
 * is left out, as the emulator cannot convert it.
 */
const OTHER_CURRENCY_PRICE: CardPrice = { country: "US", percentBasisPoints: 390, fixed: 0 };

/** Stripe's dispute fee in the country of each currency; others pay the US $15 as 1500 minor units. */
const DISPUTE_FEES: Record<string, number> = { usd: 1500, cad: 1500, eur: 2000, gbp: 2000, aud: 2500, nzd: 2500, chf: 2000 };

/** Lower-cases `value` and refuses a currency Stripe does not support, with Stripe's message. */
export function parseCurrency(value: string, param = "currency"): string {
  const currency = value.toLowerCase();
  if (!SUPPORTED.has(currency)) {
    throw invalidRequest(`Invalid currency: ${currency}. Stripe currently supports these currencies: ${SUPPORTED_CURRENCIES.join(", ")}`, param);
  }
  return currency;
}

export function minimumChargeAmount(currency: string): number {
  return MINIMUM_CHARGE[currency] ?? DEFAULT_MINIMUM_CHARGE;
}

const SYMBOLS: Record<string, string> = { usd: "$", cad: "$", aud: "$", nzd: "$", sgd: "$", hkd: "$", mxn: "$", eur: "€", gbp: "£", jpy: "¥" };

/** `$0.50`, `£0.30`, `¥50`, `2.00` (aed): how Stripe's amount errors write an amount. */
export function formatAmount(amount: number, currency: string): string {
  const decimals = ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2;
  const major = (amount / 10 ** decimals).toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return `${SYMBOLS[currency] ?? ""}${major}`;
}

/** Stripe's `amount_too_small` / `amount_too_large` checks for a charge amount in `currency`. */
export function checkChargeAmount(amount: number, currency: string, param = "amount"): void {
  const minimum = minimumChargeAmount(currency);
  if (amount < minimum) throw invalidRequest(`Amount must be at least ${formatAmount(minimum, currency)} ${currency}`, param, "amount_too_small");
  if (amount > MAXIMUM_CHARGE) {
    throw invalidRequest(`Amount must be no more than ${formatAmount(MAXIMUM_CHARGE, currency)}`, param, "amount_too_large");
  }
}

export function cardPrice(currency: string): CardPrice {
  return CARD_PRICES[currency] ?? OTHER_CURRENCY_PRICE;
}

/** The processing fee of a card charge of `amount` in `currency`, rounded half-up to the minor unit. */
export function cardFee(amount: number, currency: string): number {
  const price = cardPrice(currency);
  return Math.floor((amount * price.percentBasisPoints + 5000) / 10_000) + price.fixed;
}

export function disputeFee(currency: string): number {
  return DISPUTE_FEES[currency] ?? 1500;
}
