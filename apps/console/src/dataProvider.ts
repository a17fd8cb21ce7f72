import type { CertificateView, CrlView, RevocationReasonName } from '@anchorage/contracts';
import type { DataProvider } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import { API_URL, httpClient } from './http';

/** What a revocation or a hold release returns: the updated certificate and the CRL that reflects it. */
export interface RevocationResult {
  certificate: CertificateView;
  crl: CrlView;
}

/** react-admin's data provider plus the domain verbs, each calling its dedicated endpoint. */
export interface ConsoleDataProvider extends DataProvider {
  /** Revokes a certificate (or puts it on hold with `certificateHold`). */
  revoke(id: string, reason: RevocationReasonName): Promise<RevocationResult>;
  /** Releases a certificate from hold. */
  releaseHold(id: string): Promise<RevocationResult>;
  /** CRL history of a CA, newest first. */
  getCrls(caId: string, count?: number): Promise<CrlView[]>;
}

const rest = simpleRestProvider(API_URL, (url, options) => httpClient(url, options as RequestInit));

const post = async (path: string, body?: unknown): Promise<RevocationResult> =>
  (await httpClient(`${API_URL}${path}`, { method: 'POST', body: JSON.stringify(body ?? {}) })).json as RevocationResult;

/** The console's data provider, speaking the API's simple REST dialect. */
export const dataProvider: ConsoleDataProvider = {
  ...rest,
  // The API filters lists by named fields only, so fetch references one by one rather than by `filter={"id":[...]}`.
  getMany: async (resource, params) => ({
    data: await Promise.all(params.ids.map(async (id) => (await rest.getOne(resource, { id, meta: params.meta })).data)),
  }),
  revoke: (id, reason) => post(`/certificates/${encodeURIComponent(id)}/revoke`, { reason }),
  releaseHold: (id) => post(`/certificates/${encodeURIComponent(id)}/release-hold`),
  getCrls: async (caId, count = 5) =>
    (await httpClient(`${API_URL}/cas/${encodeURIComponent(caId)}/crls?range=${encodeURIComponent(JSON.stringify([0, count - 1]))}`)).json as CrlView[],
};
