// The community documents served under /pki/communities/{id}/ (community.json and the FHIR
// directory), built from the database and held in memory like the rest of the public repository.
//
// Freshness: every community is rebuilt every `intervalMs` (default 30 s) in every API process, and a
// community at once when this process commits a change to it (PublicRepository.communityChanged:
// organization approved, suspended or reinstated, server certificate issued, a new CRL after a
// revocation, hold or release, taken from this process or, through the CRL notification, from
// another). So a document is never older than one interval plus one rebuild, on every instance.
import { createHash } from 'node:crypto';
import type { Database, OrganizationRecord } from '@anchorage/db';
import type { Clock } from '../clock';
import { CommunityRebuilds } from '../community-rebuilds';
import type { PublishedObject } from '../public-repository';
import type { PublicUrls } from '../urls';
import { communityDocument } from './community-document';
import { buildDirectory, operationOutcome, readDirectory, searchDirectory, type DirectoryData, type DirectoryResourceType } from './fhir-directory';

/** Default rebuild interval: the staleness bound, give or take one rebuild. */
export const DIRECTORY_REFRESH_MS = 30_000;
/** How long caches may keep the documents (seconds): they change without notice when members do. */
export const DIRECTORY_MAX_AGE = 60;
export const FHIR_JSON = 'application/fhir+json';
const JSON_TYPE = 'application/json';
const PAGE = 1000;
/** Most certification templates community.json lists (a community defines a handful). */
const TEMPLATES_LISTED = 200;

interface Held {
  community: PublishedObject;
  directory: PublishedObject;
  data: DirectoryData;
  /** Answers to searches (by query string) and reads (by "Type/id") of this version of the directory (at most SEARCHES_HELD). */
  searches: Map<string, DirectoryAnswer>;
}

/** Searches answered from memory per community until its next rebuild; the oldest is dropped beyond this. */
const SEARCHES_HELD = 256;

/** The answer to a directory search: a Bundle, or an OperationOutcome with its status. */
export interface DirectoryAnswer {
  status: 200 | 400 | 404;
  object: PublishedObject;
}

/** See the file comment. */
export class CommunityDirectory extends CommunityRebuilds {
  private readonly held = new Map<string, Held>();

  constructor(db: Database, private readonly urls: PublicUrls, private readonly clock: Clock, log: (line: string) => void = (line) => console.error(line)) {
    super(db, 'community directory', log);
  }

  /** Builds every community's documents, then rebuilds them every `intervalMs`. */
  override start(intervalMs = DIRECTORY_REFRESH_MS): Promise<void> {
    return super.start(intervalMs);
  }

  /** Whether the directory held for `communityId` lists every one of `uris` as an endpoint of `organizationId`. */
  lists(communityId: string, organizationId: string, uris: string[]): boolean {
    const held = this.held.get(communityId)?.data.endpoints.get(organizationId);
    return held !== undefined && uris.every((u) => held.some((e) => e.address === u));
  }

  /** community.json of a community. */
  communityDocument(communityId: string): PublishedObject | undefined {
    return this.held.get(communityId)?.community;
  }

  /** The directory Bundle of a community, searched with `params` (none: the whole directory, prebuilt). */
  search(communityId: string, params: URLSearchParams): DirectoryAnswer {
    const held = this.held.get(communityId);
    if (!held) return { status: 404, object: this.object(operationOutcome('not-found', `no community ${communityId}`), FHIR_JSON, undefined) };
    if (params.size === 0) return { status: 200, object: held.directory };
    return this.remember(held, `?${params.toString()}`, () => searchDirectory(held.data, params), 400);
  }

  /** The answer `key` names in this version of the directory, computed once; an OperationOutcome gets `errorStatus`. */
  private remember(held: Held, key: string, compute: () => { resourceType: string }, errorStatus: 400 | 404): DirectoryAnswer {
    const kept = held.searches.get(key);
    if (kept) return kept;
    const found = compute();
    const object = this.object(found, FHIR_JSON, undefined);
    // an answer's bytes are a function of the directory's: they change no later than it does
    const answer: DirectoryAnswer = found.resourceType === 'OperationOutcome'
      ? { status: errorStatus, object }
      : { status: 200, object: { ...object, modified: held.directory.modified } };
    if (held.searches.size >= SEARCHES_HELD) held.searches.delete(held.searches.keys().next().value!);
    held.searches.set(key, answer);
    return answer;
  }

  /** One resource of the directory (the FHIR read of an entry's fullUrl), or a 404 OperationOutcome when it holds none by that id. */
  read(communityId: string, type: DirectoryResourceType, id: string): DirectoryAnswer {
    const held = this.held.get(communityId);
    if (!held) return { status: 404, object: this.object(operationOutcome('not-found', `no community ${communityId}`), FHIR_JSON, undefined) };
    return this.remember(held, `${type}/${id}`, () => {
      const found = readDirectory(held.data, type, id);
      // a suspended organization, or a server certificate revoked or expired, leaves the directory: its resource is gone too
      return found ?? operationOutcome('not-found', `the directory holds no ${type} ${id}`);
    }, 404);
  }

  protected async build(communityId: string): Promise<void> {
    const community = await this.db.communities.find(communityId);
    if (!community) {
      this.held.delete(communityId);
      return;
    }
    const [cas, orgs, live, templates] = await Promise.all([
      this.db.cas.ofCommunity(communityId),
      this.activeOrganizations(communityId),
      this.db.certificates.liveServerEndpoints(communityId, this.clock.now()),
      this.db.certifications.templatesOf(communityId, 0, TEMPLATES_LISTED),
    ]);
    const data = buildDirectory(this.urls.directory(communityId), community.uri, orgs, live);
    const prev = this.held.get(communityId);
    this.held.set(communityId, {
      community: this.object(communityDocument(community, cas, this.urls, templates.items), JSON_TYPE, prev?.community),
      directory: this.object(searchDirectory(data, new URLSearchParams()), FHIR_JSON, prev?.directory),
      data,
      searches: new Map(),
    });
  }

  private async activeOrganizations(communityId: string): Promise<OrganizationRecord[]> {
    const out: OrganizationRecord[] = [];
    for (let skip = 0; ; skip += PAGE) {
      const page = await this.db.organizations.list(communityId, skip, PAGE, { status: 'active' }, { field: 'createdAt', direction: 'asc' });
      out.push(...page.items);
      if (page.items.length < PAGE) return out;
    }
  }

  /** A published object of `value` as JSON; the held one when the bytes are the same (same ETag and time). */
  private object(value: unknown, contentType: string, held: PublishedObject | undefined): PublishedObject {
    const body = Buffer.from(JSON.stringify(value));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    if (held?.etag === etag) return held;
    const now = this.clock.now().getTime();
    const modified = new Date(held ? Math.max(now, held.modified.getTime() + 1) : now);
    return { body, contentType, etag, modified, expires: null, maxAge: DIRECTORY_MAX_AGE };
  }
}
