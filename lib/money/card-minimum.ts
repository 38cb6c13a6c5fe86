/**
 * Stripe's published minimum charge per currency, in minor units (USD $0.50, GBP £0.30, JPY ¥50,
 * …). Stripe refuses a smaller card payment (`amount_too_small`), so the pay page never offers one:
 * a balance below it is paid at the front desk. Other currencies: 50 minor units, Stripe's $0.50
 * converted being close to that for most.
 */
const MINIMUM_CHARGE: Record<string, number> = {
  USD: 50,
  AED: 200,
  AUD: 50,
  BGN: 100,
  BRL: 50,
  CAD: 50,
  CHF: 50,
  CZK: 1500,
  DKK: 250,
  EUR: 50,
  GBP: 30,
  HKD: 400,
  HUF: 17500,
  INR: 50,
  JPY: 50,
  MXN: 1000,
  MYR: 200,
  NOK: 300,
  NZD: 50,
  PLN: 200,
  RON: 200,
  SEK: 300,
  SGD: 50,
  THB: 1000,
};

export function minimumCardPayment(currency: string): number {
  return MINIMUM_CHARGE[currency.toUpperCase()] ?? 50;
}
