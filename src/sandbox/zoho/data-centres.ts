/**
 * Zoho's data centres. Each has its own accounts server and API domain, and a token
 * belongs to the data centre that issued it. Under the sandbox they are path segments:
 * accounts at `<base>/accounts/<dc>` and the API at `<base>/<dc>` (US also at `<base>`).
 */
export interface DataCentre {
  /** The `location` value Zoho appends to the authorize redirect. */
  location: string;
  accountsHost: string;
  apiHost: string;
}

export const DATA_CENTRES: DataCentre[] = [
  { location: 'us', accountsHost: 'accounts.zoho.com', apiHost: 'www.zohoapis.com' },
  { location: 'eu', accountsHost: 'accounts.zoho.eu', apiHost: 'www.zohoapis.eu' },
  { location: 'in', accountsHost: 'accounts.zoho.in', apiHost: 'www.zohoapis.in' },
  { location: 'au', accountsHost: 'accounts.zoho.com.au', apiHost: 'www.zohoapis.com.au' },
  { location: 'jp', accountsHost: 'accounts.zoho.jp', apiHost: 'www.zohoapis.jp' },
  { location: 'ca', accountsHost: 'accounts.zohocloud.ca', apiHost: 'www.zohoapis.ca' },
  { location: 'cn', accountsHost: 'accounts.zoho.com.cn', apiHost: 'www.zohoapis.com.cn' },
  { location: 'sa', accountsHost: 'accounts.zoho.sa', apiHost: 'www.zohoapis.sa' },
];

export const DEFAULT_DC = 'us';

export function isDataCentre(location: string): boolean {
  return DATA_CENTRES.some((d) => d.location === location);
}

/** The sandbox's stand-in for `https://www.zohoapis.<tld>`: what `api_domain` carries. */
export const apiDomain = (baseUrl: string, dc: string) => (dc === DEFAULT_DC ? baseUrl : `${baseUrl}/${dc}`);

/** The sandbox's stand-in for `https://accounts.zoho.<tld>`: what `accounts-server` carries. */
export const accountsServer = (baseUrl: string, dc: string) => `${baseUrl}/accounts/${dc}`;
