import type { Command } from 'commander';
import { ApiError, LocalProblem, type ApiClient, type Page } from './api-client';

/** One row as the API answers it (the views of @anchorage/contracts). */
type Row = Record<string, unknown>;

/** A column of a table: its header and how a row fills it. */
type Column = [header: string, cell: string | ((r: Row) => unknown)];

/** A filter flag of `list <resource>`: `--<flag> <value>` sent as the filter's `field`. */
interface Filter {
  flag: string;
  field: string;
  help: string;
}

/** The parent a resource lives under (a path parameter): `--<flag> <id>` is required. */
interface Parent {
  flag: 'community' | 'ca';
  help: string;
}

/** A resource of the API `list` and `get` know. */
interface Resource {
  /** Plural, the `list` command's name. */
  name: string;
  /** Singular, the `get` command's name. */
  one: string;
  aliases?: string[];
  about: string;
  parent?: Parent;
  /** Path of the list (API react-admin dialect: range, sort, filter) under the parent's id. */
  list: (parentId: string) => string;
  filters?: Filter[];
  /** Path of one item; without it `get` finds the item in the list. */
  get?: (id: string) => string;
  /** Field that identifies an item (default id). */
  key?: string;
  columns: Column[];
}

const org: Filter = { flag: 'org', field: 'organizationId', help: 'only those of this organization' };
const community: Filter = { flag: 'community', field: 'communityId', help: 'only those of this community' };
const status = (values: string): Filter => ({ flag: 'status', field: 'status', help: `only those in this state (${values})` });
const join = (v: unknown) => (Array.isArray(v) ? v.join(', ') : v);
const v1 = '/api/v1';
const id = (path: string) => (x: string) => `${v1}/${path}/${encodeURIComponent(x)}`;

/** What the API exposes to list and read (apps/api/src/resources). */
export const RESOURCES: Resource[] = [
  {
    name: 'communities', one: 'community', about: 'trust communities', list: () => `${v1}/communities`, get: id('communities'),
    columns: [['ID', 'id'], ['NAME', 'name'], ['URI', 'uri'], ['ROOT CA', 'rootCaId'], ['ISSUING CA', 'issuingCaId'], ['CREATED', 'createdAt']],
  },
  {
    // the API lists a community's CAs in the community's detail: list gathers them (see listCas)
    name: 'cas', one: 'ca', about: 'certificate authorities (of one community with --community, else of all)', list: () => `${v1}/communities`, get: id('cas'),
    columns: [['ID', 'id'], ['COMMUNITY', 'communityId'], ['ROLE', 'role'], ['STATUS', 'status'], ['KEY', 'keyType'], ['NOT AFTER', 'notAfter'], ['SUBJECT', 'subject']],
  },
  {
    name: 'organizations', one: 'organization', aliases: ['orgs', 'org'], about: 'member organizations', list: () => `${v1}/organizations`, get: id('organizations'),
    filters: [community, status('draft, submitted, active, rejected, suspended')],
    columns: [['ID', 'id'], ['NAME', 'name'], ['STATUS', 'status'], ['COMMUNITY', 'communityId'], ['SAN URIS', (r) => join(r.sanUris)]],
  },
  {
    name: 'certificates', one: 'certificate', aliases: ['certs', 'cert'], about: 'leaf certificates', list: () => `${v1}/certificates`, get: id('certificates'),
    filters: [org, { flag: 'issuer', field: 'issuerId', help: 'only those of this issuing CA' }, status('pending, issued, revoked, on-hold'), { flag: 'serial', field: 'serial', help: 'the certificate of this serial (hex)' }, { flag: 'san', field: 'san', help: 'only those carrying this SAN URI' }],
    columns: [['ID', 'id'], ['SERIAL', 'serial'], ['STATUS', 'status'], ['PROFILE', 'profile'], ['NOT AFTER', 'notAfter'], ['SAN URIS', (r) => join(r.sanUris)]],
  },
  {
    name: 'requests', one: 'request', aliases: ['certificate-requests', 'certificate-request'], about: 'certificate requests', list: () => `${v1}/certificate-requests`, get: id('certificate-requests'),
    filters: [org, status('submitted, approved, issued, rejected, cancelled')],
    columns: [['ID', 'id'], ['STATUS', 'status'], ['PROFILE', 'profile'], ['ORGANIZATION', 'organizationId'], ['SAN URIS', (r) => join(r.sanUris)], ['CREATED', 'createdAt']],
  },
  {
    name: 'users', one: 'user', about: 'people who sign in to the console', list: () => `${v1}/users`, get: id('users'),
    filters: [org, { flag: 'role', field: 'role', help: 'only those of this role (operator, auditor, member-admin)' }],
    columns: [['ID', 'id'], ['EMAIL', 'email'], ['ROLE', 'role'], ['NAME', 'displayName'], ['TOTP', (r) => (r.totpEnabled ? 'yes' : 'no')], ['CREATED', 'createdAt']],
  },
  {
    name: 'tokens', one: 'token', aliases: ['api-tokens', 'api-token'], about: 'operator API tokens (never their secrets)', list: () => `${v1}/api-tokens`,
    columns: [['ID', 'id'], ['STATUS', 'status'], ['NAME', 'name'], ['CREATED', 'createdAt'], ['EXPIRES', (r) => r.expiresAt ?? 'never'], ['LAST USED', (r) => r.lastUsedAt ?? 'never']],
  },
  {
    // not a react-admin list: `after` a sequence number, `limit` events (see listAuditEvents)
    name: 'audit-events', one: 'audit-event', aliases: ['audit'], about: 'the audit log, oldest first', list: () => `${v1}/audit/events`, key: 'seq',
    filters: [
      { flag: 'subject', field: 'subjectId', help: 'only the events of this subject id' },
      { flag: 'subject-type', field: 'subjectType', help: 'only the events of this subject type (e.g. certificate)' },
      { flag: 'actor', field: 'actor', help: 'only the events of this actor' },
      { flag: 'action', field: 'action', help: "only this action (a prefix when it ends in '.', e.g. organization.)" },
    ],
    columns: [['SEQ', 'seq'], ['AT', 'at'], ['ACTOR', 'actor'], ['ACTION', 'action'], ['SUBJECT', (r) => `${String(r.subjectType)} ${String(r.subjectId)}`]],
  },
  {
    name: 'certification-templates', one: 'certification-template', aliases: ['templates', 'template'], about: 'what a community certifies',
    parent: { flag: 'community', help: 'the community' }, list: (c) => `${v1}/communities/${encodeURIComponent(c)}/certification-templates`,
    columns: [['ID', 'id'], ['NAME', 'name'], ['ENDORSEMENT', (r) => (r.isEndorsement ? 'yes' : 'no')], ['URIS', (r) => join(r.uris)], ['CREATED', 'createdAt']],
  },
  {
    name: 'certifiers', one: 'certifier', about: "the platform's certifiers of a community",
    parent: { flag: 'community', help: 'the community' }, list: (c) => `${v1}/communities/${encodeURIComponent(c)}/certifiers`,
    columns: [['ID', 'id'], ['ORGANIZATION', 'organizationId'], ['SAN URI', 'sanUri'], ['NOT AFTER', 'notAfter'], ['CREATED', 'createdAt']],
  },
  {
    name: 'certifications', one: 'certification', about: 'certifications issued to members', list: () => `${v1}/certifications`, get: id('certifications'),
    filters: [community, org, { flag: 'template', field: 'templateId', help: 'only those of this template' }, status('active, revoked')],
    columns: [['ID', 'id'], ['STATUS', 'status'], ['TEMPLATE', 'templateId'], ['ORGANIZATION', 'organizationId'], ['SUB', 'sub'], ['EXPIRES', 'exp']],
  },
  {
    name: 'conformance-endpoints', one: 'conformance-endpoint', aliases: ['endpoints', 'endpoint'], about: "members' UDAP endpoints under conformance checks",
    list: () => `${v1}/conformance/endpoints`, get: id('conformance/endpoints'), filters: [community, org, status('passing, failing, unknown')],
    columns: [['ID', 'id'], ['STATUS', 'status'], ['BASE URL', 'baseUrl'], ['ORGANIZATION', 'organizationId'], ['LAST CHECKED', (r) => r.lastCheckedAt ?? 'never'], ['FAILURES', 'consecutiveFailures']],
  },
  {
    name: 'conformance-alerts', one: 'conformance-alert', aliases: ['alerts', 'alert'], about: 'alerts of endpoints that went from passing to failing', list: () => `${v1}/conformance/alerts`,
    filters: [org],
    columns: [['ID', 'id'], ['BASE URL', 'baseUrl'], ['CODES', (r) => join(r.codes)], ['ORGANIZATION', 'organizationId'], ['CREATED', 'createdAt']],
  },
  {
    name: 'revocation-subscriptions', one: 'revocation-subscription', aliases: ['subscriptions', 'subscription'], about: "relying parties' subscriptions to revocation notices",
    list: () => `${v1}/revocation-subscriptions`, get: id('revocation-subscriptions'), filters: [community, org, status('active, paused, cancelled')],
    columns: [['ID', 'id'], ['STATUS', 'status'], ['HEALTH', 'health'], ['RELYING PARTY', 'relyingParty'], ['CALLBACK URL', 'callbackUrl'], ['FAILURES', 'consecutiveFailures']],
  },
  {
    name: 'crls', one: 'crl', about: "a CA's CRL history, newest first (get takes the CRL number)", key: 'crlNumber',
    parent: { flag: 'ca', help: 'the CA' }, list: (ca) => `${v1}/cas/${encodeURIComponent(ca)}/crls`,
    columns: [['NUMBER', 'crlNumber'], ['THIS UPDATE', 'thisUpdate'], ['NEXT UPDATE', 'nextUpdate'], ['ENTRIES', 'entryCount'], ['URL', 'url']],
  },
  {
    name: 'bulk-revocations', one: 'bulk-revocation', about: 'revocations of many certificates at once', list: () => `${v1}/bulk-revocations`, get: id('bulk-revocations'),
    filters: [org, { flag: 'ca', field: 'caId', help: 'only those of this CA' }, status('queued, running, completed, failed')],
    columns: [['ID', 'id'], ['STATUS', 'status'], ['CA', (r) => r.caId ?? '-'], ['ORGANIZATION', (r) => r.organizationId ?? '-'], ['REVOKED', (r) => `${String(r.revoked)}/${String(r.total)}`], ['CREATED', 'createdAt']],
  },
  {
    name: 'invitations', one: 'invitation', about: 'invitations e-mailed to contacts', list: () => `${v1}/invitations`, filters: [org],
    columns: [['ID', 'id'], ['EMAIL', 'email'], ['STATE', 'state'], ['ORGANIZATION', 'organizationId'], ['EXPIRES', 'expiresAt']],
  },
  {
    name: 'expiry-notices', one: 'expiry-notice', aliases: ['notices', 'notice'], about: 'notices of certificates and CAs about to expire', list: () => `${v1}/expiry-notices`,
    filters: [org, { flag: 'subject-type', field: 'subjectType', help: 'only those about certificate or ca' }],
    columns: [['ID', 'id'], ['SUBJECT', 'subjectType'], ['NOT AFTER', 'notAfter'], ['DAYS', 'thresholdDays'], ['E-MAILED', (r) => r.emailSentAt ?? '-']],
  },
];

/** Paging and filter options every list takes. */
interface ListOptions {
  limit: number;
  offset: number;
  sort?: string;
  desc?: boolean;
  after?: string;
  community?: string;
  ca?: string;
  [flag: string]: unknown;
}

const MAX_PAGE = 500; // what the API serves at most per request

/** Adds `list <resource>` and `get <resource> <id>` for every resource. */
export function addListAndGet(
  program: Command,
  ctx: () => { api: ApiClient; print: (human: string, json: unknown) => void },
): void {
  const list = program.command('list').description('list a resource: a table, or with --json the API\'s JSON array');
  const get = program.command('get').description('read one item of a resource: its fields, or with --json the API\'s JSON');
  for (const r of RESOURCES) {
    const l = list.command(r.name).description(r.about).aliases([r.one, ...(r.aliases ?? [])]);
    if (r.parent) l.requiredOption(`--${r.parent.flag} <id>`, r.parent.help);
    if (r.name === 'cas') l.option('--community <id>', 'only the CAs of this community');
    for (const f of r.filters ?? []) l.option(`--${f.flag} <value>`, f.help);
    if (r.name === 'audit-events') {
      l.option('--after <seq>', 'the events after this sequence number', '0');
    } else if (r.name !== 'cas') {
      l.option('--sort <field>', 'sort by this field (the API names the ones it allows)').option('--desc', 'with --sort: descending');
      l.option('--offset <n>', 'skip this many', toCount, 0);
    }
    l.option('--limit <n>', `at most this many (up to ${MAX_PAGE})`, toCount, 100);
    l.action(async (o: ListOptions) => {
      const { api, print } = ctx();
      if (o.limit < 1 || o.limit > MAX_PAGE) throw new LocalProblem('usage', `--limit must be 1 to ${MAX_PAGE}`);
      const page = r.name === 'cas' ? await listCas(api, o) : r.name === 'audit-events' ? await listAuditEvents(api, r, o) : await api.list<Row>(listPath(r, o));
      const more = page.total !== null && page.total > o.offset + page.items.length
        ? `\n(${page.items.length} of ${page.total}; the next ones with --offset ${o.offset + page.items.length})`
        : '';
      print(page.items.length ? table(r.columns, page.items) + more : `no ${r.name}`, page.items);
    });

    const g = get.command(r.one).description(r.about).aliases([r.name, ...(r.aliases ?? [])]).argument(`<${r.key ?? 'id'}>`, r.key === 'seq' ? 'sequence number' : r.key === 'crlNumber' ? 'CRL number' : 'id');
    if (r.parent) g.requiredOption(`--${r.parent.flag} <id>`, r.parent.help);
    g.action(async (key: string, o: ListOptions) => {
      const { api, print } = ctx();
      const item = r.get ? await api.request<Row>('GET', r.get(key)) : r.name === 'audit-events' ? await getAuditEvent(api, key) : await findInList(api, r, key, o);
      print(describe(item), item);
    });
  }
}

function toCount(v: string): number {
  if (!/^\d{1,6}$/.test(v)) throw new LocalProblem('usage', `not a count: ${v}`);
  return Number(v);
}

function listPath(r: Resource, o: ListOptions, offset = o.offset, limit = o.limit): string {
  const filter: Record<string, string> = {};
  for (const f of r.filters ?? []) {
    const value = o[camel(f.flag)];
    if (typeof value === 'string') filter[f.field] = value;
  }
  const q = [`range=${encodeURIComponent(JSON.stringify([offset, offset + limit - 1]))}`];
  if (Object.keys(filter).length) q.push(`filter=${encodeURIComponent(JSON.stringify(filter))}`);
  if (o.sort) q.push(`sort=${encodeURIComponent(JSON.stringify([o.sort, o.desc ? 'DESC' : 'ASC']))}`);
  const parent = r.parent ? String(o[r.parent.flag]) : '';
  return `${r.list(parent)}?${q.join('&')}`;
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The CAs of one community, or of every community the caller sees (one request per community). */
async function listCas(api: ApiClient, o: ListOptions): Promise<Page<Row>> {
  let ids: string[];
  if (o.community) ids = [o.community];
  else {
    ids = [];
    for (let offset = 0; ; offset += MAX_PAGE) {
      const page = await api.list<Row>(`${v1}/communities?range=${encodeURIComponent(JSON.stringify([offset, offset + MAX_PAGE - 1]))}`);
      ids.push(...page.items.map((c) => String(c.id)));
      if (page.items.length < MAX_PAGE) break;
    }
  }
  const cas: Row[] = [];
  for (const c of ids) cas.push(...((await api.request<{ cas: Row[] }>('GET', `${v1}/communities/${encodeURIComponent(c)}`)).cas));
  return { items: cas.slice(0, o.limit), total: cas.length };
}

function auditQuery(r: Resource, o: ListOptions): string {
  const q = new URLSearchParams({ after: String(o.after ?? '0'), limit: String(o.limit) });
  for (const f of r.filters ?? []) {
    const value = o[camel(f.flag)];
    if (typeof value === 'string') q.set(f.field, value);
  }
  return q.toString();
}

async function listAuditEvents(api: ApiClient, r: Resource, o: ListOptions): Promise<Page<Row>> {
  if (!/^\d{1,19}$/.test(String(o.after))) throw new LocalProblem('usage', '--after must be a sequence number');
  return { items: await api.request<Row[]>('GET', `${r.list('')}?${auditQuery(r, o)}`), total: null };
}

async function getAuditEvent(api: ApiClient, seq: string): Promise<Row> {
  if (!/^[1-9]\d{0,18}$/.test(seq)) throw new LocalProblem('usage', 'an audit event is named by its sequence number (1, 2, ...)');
  const [e] = await api.request<Row[]>('GET', `${v1}/audit/events?after=${(BigInt(seq) - 1n).toString()}&limit=1`);
  if (!e || e.seq !== seq) throw notFound(`audit event ${seq}`);
  return e;
}

/** Pages through the list for the item whose key is `key`: for the resources the API reads only as a list. */
async function findInList(api: ApiClient, r: Resource, key: string, o: ListOptions): Promise<Row> {
  const field = r.key ?? 'id';
  for (let offset = 0; ; offset += MAX_PAGE) {
    const page = await api.list<Row>(listPath(r, { ...o, sort: undefined }, offset, MAX_PAGE));
    const found = page.items.find((x) => String(x[field]) === key);
    if (found) return found;
    if (page.items.length < MAX_PAGE) throw notFound(`${r.one.replace(/-/g, ' ')} ${key}${r.parent ? ` of ${r.parent.flag} ${String(o[r.parent.flag])}` : ''}`);
  }
}

/** Answers as the API does for an item it does not have. */
function notFound(what: string): ApiError {
  return new ApiError({ type: 'https://anchorage.dev/problems/not-found', title: 'Not Found', status: 404, detail: `${what} not found`, code: 'not-found' });
}

/** A table: a header line and one line per row, columns as wide as their widest cell. */
export function table(columns: Column[], rows: Row[]): string {
  const cells = rows.map((r) => columns.map(([, c]) => text(typeof c === 'string' ? r[c] : c(r))));
  const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns.map(([h]) => h)), ...cells.map(line)].join('\n');
}

function text(v: unknown): string {
  if (v === null || v === undefined || v === '') return '-';
  if (typeof v === 'string') return v.replace(/\s*\n\s*/g, ' ');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * One item, a field a line: a nested object's fields as `field.name`, a list of objects an indented line
 * per element (its one-line fields), PEM and other multi-line values last (--json has everything).
 */
export function describe(item: Row): string {
  const short: [string, string][] = [];
  const long: [string, string][] = [];
  const multiLine = (v: unknown) => typeof v === 'string' && v.includes('\n');
  const add = (key: string, v: unknown, depth: number) => {
    if (multiLine(v)) long.push([key, String(v).trimEnd()]);
    else if (isObject(v) && depth === 0 && Object.keys(v).length) for (const [k, x] of Object.entries(v)) add(`${key}.${k}`, x, 1);
    else if (Array.isArray(v) && v.length && v.every(isObject)) {
      short.push([key, `${v.length}`]);
      for (const x of v) short.push(['', `- ${Object.entries(x).filter(([, y]) => y !== null && !multiLine(y) && !isObject(y)).map(([k, y]) => `${k}=${Array.isArray(y) ? y.join(',') : text(y)}`).join('  ')}`]);
    } else short.push([key, Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(', ') || '-' : text(v)]);
  };
  for (const [k, v] of Object.entries(item)) add(k, v, 0);
  const width = Math.max(...short.map(([k]) => k.length));
  return [...short.map(([k, v]) => `${k.padEnd(width)}  ${v}`.trimEnd()), ...long.map(([k, v]) => `${k}:\n${v}`)].join('\n');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
