// Where a member server's UDAP metadata is: {baseURL}/.well-known/udap (UDAP STU2 §2.1), with the
// community's URI as the `community` parameter (§2.4), so a server in several communities signs with
// its certificate of this one.

/**
 * The metadata URL of `baseUrl` for `communityUri`: the base URL's scheme, host and path without a
 * trailing slash, then `/.well-known/udap?community=<uri>`; the base URL's own query and fragment are
 * left out, so a SAN URI does not choose what else the request carries.
 */
export function udapMetadataUrl(baseUrl: string, communityUri: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    return `${baseUrl.replace(/\/+$/, '')}/.well-known/udap?community=${encodeURIComponent(communityUri)}`;
  }
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}/.well-known/udap?community=${encodeURIComponent(communityUri)}`;
}
