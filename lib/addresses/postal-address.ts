/** A postal address as stored on organizations and patients. */
export type PostalAddress = {
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string;
};

/** An address as a form edits it: every line a string, "" for an empty one. */
export type PostalAddressFields = { [Field in keyof PostalAddress]: string };

/** A stored address as a form's starting values. */
export function postalAddressFields(address: PostalAddress): PostalAddressFields {
  return {
    addressLine1: address.addressLine1 ?? "",
    addressLine2: address.addressLine2 ?? "",
    city: address.city ?? "",
    region: address.region ?? "",
    postalCode: address.postalCode ?? "",
    country: address.country,
  };
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

/**
 * An address as printed on an envelope, one string per line, empty lines left out: street lines,
 * then "Portland, OR 97201", then the country's name when it is not `homeCountry` (the clinic's).
 */
export function postalAddressLines(address: PostalAddress, options: { homeCountry?: string } = {}): string[] {
  const cityLine = [address.city, [address.region, address.postalCode].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  const country = address.country && address.country !== (options.homeCountry ?? address.country) ? (regionNames.of(address.country) ?? address.country) : null;
  return [address.addressLine1, address.addressLine2, cityLine, country].filter((line): line is string => Boolean(line));
}
