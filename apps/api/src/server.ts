import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { CertificationStatusIndex, CoalescedRuns, CommunityDirectory, DIRECTORY_REFRESH_MS, loadAuditCheckpoint, TestKitPublication, type Platform } from '@anchorage/authority';
import { QueueInspector } from '@anchorage/jobs';
import { AppModule } from './app.module';
import { directRoute } from './http/direct-routes';
import { CertificatesController } from './resources/certificates.controller';
import { jsonBody, refuseHostileText } from './http/input-guard';
import { describeInputs } from './http/openapi-inputs';
import { describeResponses } from './http/openapi-responses';
import { sendProblem } from './http/problem.filter';
import { consoleIndex, DOCS_PATH, securityHeaders } from './http/security-headers';
import { createPkiHandler } from './public/pki-handler';

/** A running API server. */
export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** How to start the server. */
export interface ServerOptions {
  host: string;
  port: number;
  consoleDir?: string | null;
  logger?: boolean;
  /** Sign-in attempts allowed per client address per minute (default 20). */
  signInAttemptsPerMinute?: number;
  /** The worker's Redis, for the queue page; without it the queue routes answer 503. */
  queues?: { redisUrl: string; prefix: string } | null;
  /**
   * Test deployments: check every answer against its route's contract (libs/contracts ROUTE_RESPONSES)
   * and fail a mismatch with a 500 problem naming the route and the difference. Off by default.
   */
  validateResponses?: boolean;
  /**
   * Serve the hot write route (POST /api/v1/certificates) straight from node:http with the edge's own
   * steps (http/direct-routes.ts); default true. False sends it through Express and Nest like every other
   * route (the test that compares both paths).
   */
  directRoutes?: boolean;
  /** How often each community's community.json and directory are rebuilt from the database (their staleness bound for changes another process made without a CRL; default 30 s). */
  directoryRefreshMs?: number;
}

/**
 * Starts the platform on one origin: public repository under /pki (raw handler), admin API under
 * /api (Nest), OpenAPI at /api/docs, and the console's static build under / when present.
 */
export async function startServer(platform: Platform, opts: ServerOptions): Promise<RunningServer> {
  // community.json and the FHIR directory, in memory: rebuilt on an interval, and at once after a
  // change any instance commits (announced on a NOTIFY channel) or a CRL it takes (docs/directory.md)
  await platform.repository.loadAll();
  const directory = new CommunityDirectory(platform.db, platform.urls, platform.clock);
  await directory.start(opts.directoryRefreshMs ?? DIRECTORY_REFRESH_MS);
  // the certification status endpoint, in memory too, rebuilt on the same events (docs/certifications.md)
  const certifications = new CertificationStatusIndex(platform.db, platform.clock);
  await certifications.start(opts.directoryRefreshMs ?? DIRECTORY_REFRESH_MS);
  const rebuildStatus = (communityId: string) => void certifications.refresh(communityId)
    .catch((err: Error) => console.error(`certification status of ${communityId} not rebuilt: ${err.message}`));
  const rebuildDirectory = (communityId: string) => void directory.refresh(communityId)
    .catch((err: Error) => console.error(`community directory of ${communityId} not rebuilt: ${err.message}`));
  const rebuild = (communityId: string) => {
    rebuildDirectory(communityId);
    rebuildStatus(communityId);
  };
  // a burst of changes to one community (a bulk onboarding: a first server certificate for one organization
  // after another) is announced as at most two notifications, the last one after the last change
  const announcements = new CoalescedRuns((communityId) => platform.db.communities.notifyChanged(communityId));
  const stopDirectoryEvents = platform.repository.onCommunityChanged((communityId, change) => {
    // a new CRL may revoke an app's or a certifier's certificate: the status is rebuilt on every one
    if (!change || change.certifications) rebuildStatus(communityId);
    // another certificate for endpoints already listed changes nothing (bulk issuance and renewals);
    // a certification changes only the status endpoint
    if (change?.endpoints && directory.lists(communityId, change.endpoints.organizationId, change.endpoints.uris)) return;
    if (!change?.certifications) rebuildDirectory(communityId);
    // a use case's change: every other instance rebuilds it too, instead of waiting for its interval
    // (a CRL or CA reaches them by the CRL notification; announcing it again would rebuild it twice)
    if (change) announcements.run(communityId).catch((err: Error) => console.error(`community change of ${communityId} not announced: ${err.message}`));
  });
  const stopCommunityListening = await platform.db.communities.onChanged(rebuild, {
    // notifications of the gap are lost: rebuild everything
    onReconnect: () => {
      void directory.refreshAll().catch(() => undefined);
      void certifications.refreshAll().catch(() => undefined);
    },
  });
  // Another instance's CRL: reload it. Our own (already held, same number) is not read back.
  const stopListening = await platform.db.crls.onPublished((caId, crlNumber) => {
    if ((platform.repository.crl(caId)?.version ?? 0n) >= crlNumber) return;
    void platform.repository.refreshCa(caId).catch(() => undefined);
  }, {
    // the listening connection dropped and came back: notifications of the gap are lost, reload all
    onReconnect: () => void platform.repository.loadAll().catch(() => undefined),
  });
  // API tokens found live are kept for moments, but only while this process hears every token change
  // (libs/authority api-token-cache.ts): deaf, it looks each token up again.
  const tokenCache = platform.apiTokenCache;
  const stopTokenListening = await platform.db.apiTokens.onChanged(() => tokenCache?.clear(), {
    onDrop: () => tokenCache?.deaf(),
    onReconnect: () => tokenCache?.listen(),
  });
  tokenCache?.listen();
  // The newest audit checkpoint and the audit key, served from memory too; reloaded whenever any worker
  // commits a checkpoint. One that does not verify is not served, and said so (docs/audit.md).
  const serveCheckpoint = () => loadAuditCheckpoint(platform).then(() => undefined, (err: Error) => console.error(`audit checkpoint not served: ${err.message}`));
  await serveCheckpoint();
  const stopCheckpoints = await platform.db.audit.checkpoints.onCommitted(() => void serveCheckpoint());
  const ex = express();
  ex.disable('x-powered-by');
  // API answers are per caller and per moment; hashing every body for a weak ETag (Express's default)
  // cost a SHA-1 over each issued certificate's JSON. /pki sets its own validators.
  ex.set('etag', false);
  ex.use(securityHeaders);
  // communities' test kits: read from the database on demand and held briefly (docs/test-certificates.md)
  const testKits = new TestKitPublication(platform.db, platform.urls, platform.clock);
  const inspector = opts.queues ? new QueueInspector(opts.queues.redisUrl, opts.queues.prefix) : null;
  const appModule = AppModule.forPlatform(platform, { signInAttemptsPerMinute: opts.signInAttemptsPerMinute, queues: inspector, validateResponses: opts.validateResponses, testKits });
  const app = await NestFactory.create<NestExpressApplication>(appModule, new ExpressAdapter(ex), {
    logger: opts.logger === false ? false : ['error', 'warn', 'log'],
    bodyParser: false,
  });
  ex.use('/api', jsonBody(), refuseHostileText);
  const doc = describeResponses(
    describeInputs(SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Anchorage API').setVersion('1').addBearerAuth().build())),
    appModule.controllers as Type[],
  );
  SwaggerModule.setup(DOCS_PATH, app, doc, { jsonDocumentUrl: `${DOCS_PATH}/openapi.json` });
  if (opts.consoleDir && existsSync(join(opts.consoleDir, 'index.html'))) {
    ex.use(consoleIndex(opts.consoleDir));
    ex.use(express.static(opts.consoleDir, { index: false }));
  }
  await app.init();
  ex.use((req: express.Request, res: express.Response) => sendProblem(res, { type: 'about:blank', title: 'Not Found', status: 404, detail: `no route for ${req.method} ${req.path}` }));
  const pki = createPkiHandler(platform.repository, platform.clock, directory, certifications, testKits);
  const direct = opts.directRoutes === false ? null
    : directRoute(app, platform, { path: '/api/v1/certificates', controller: CertificatesController, handler: 'issue' }, { validateResponses: opts.validateResponses });
  const server = createServer((req, res) => {
    if (!pki(req, res) && !direct?.(req, res)) ex(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    url: `http://${opts.host}:${port}`,
    server,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await app.close();
      await inspector?.close();
      await stopListening();
      await stopCheckpoints();
      tokenCache?.deaf();
      await stopTokenListening();
      stopDirectoryEvents();
      await announcements.settled();
      await stopCommunityListening();
      await directory.stop();
      await certifications.stop();
    },
  };
}
