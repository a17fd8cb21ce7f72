import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * CSP of everything the framework answers that is not a page: JSON, problem documents, the
 * console's scripts and styles. Such a response loads nothing and is framed by nobody, so a reply
 * a browser is tricked into rendering as HTML runs nothing (CSP Level 3 default-src, frame-ancestors).
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Where the OpenAPI viewer is mounted (SwaggerModule.setup), and its JSON document. */
export const DOCS_PATH = 'api/docs';

/**
 * CSP of the OpenAPI viewer's page: its own scripts only; swagger-ui ships an inline <style>, style
 * attributes and data: images, which it cannot be told to nonce.
 */
export const DOCS_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
  "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/**
 * CSP of the console's page. Scripts only from this origin (the Vite build has no inline script);
 * MUI's emotion injects <style> elements, which carry the per-response nonce (apps/console/src/main.tsx),
 * so style-src needs no 'unsafe-inline'; React sets style properties through the CSSOM, which CSP
 * does not govern. frame-ancestors 'none' keeps the sign-in page out of other sites' frames (clickjacking).
 */
export function consoleCsp(nonce: string): string {
  return [
    "default-src 'self'", "script-src 'self'", `style-src 'self' 'nonce-${nonce}'`, "img-src 'self' data:", "connect-src 'self'",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Headers on every response of the Express side (admin API, OpenAPI, console); /pki is answered
 * before it, by the raw handler. X-Frame-Options DENY is frame-ancestors for browsers without CSP 2;
 * nosniff stops a JSON or PEM body being run as a script or style. Referrer-Policy same-origin:
 * other sites never learn where this CA is administered (no Referer leaves the origin; invitation
 * tokens ride in the URL fragment, never sent anyway), while the console's own POSTs keep their real
 * `Origin` header (with no-referrer, Fetch's "append a request Origin header" sends `Origin: null`),
 * so a future cross-site request check can rely on it.
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  setSecurityHeaders(res, req.path);
  next();
}

/** The headers of securityHeaders, on any response (the direct routes' too) for a request of `path`. */
export function setSecurityHeaders(res: ServerResponse, path: string): void {
  res.setHeader('Content-Security-Policy', path === `/${DOCS_PATH}` || path === `/${DOCS_PATH}/` ? DOCS_CSP : API_CSP);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}

/** `html` with a <meta property="csp-nonce"> first in its <head>; null when it has no <head>. */
function withNonce(html: string, nonce: string): string | null {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return null;
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}\n    <meta property="csp-nonce" nonce="${nonce}" />${html.slice(at)}`;
}

/**
 * Serves the console's index.html at / and /index.html with a fresh CSP nonce (128 random bits, as
 * CSP Level 3 asks) in its policy and in a <meta property="csp-nonce"> (Vite's and the console's
 * convention), never stored by a cache since it differs per response. Read per request, so a rebuilt
 * console is served at once; a build without <head> refuses to start the server.
 */
export function consoleIndex(consoleDir: string): RequestHandler {
  const path = join(consoleDir, 'index.html');
  if (withNonce(readFileSync(path, 'utf8'), '') === null) throw new Error(`${path} has no <head> to carry the CSP nonce; rebuild the console (npm run console:build)`);
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (req.path !== '/' && req.path !== '/index.html')) return next();
    readFile(path, 'utf8').then((html) => {
      const nonce = randomBytes(16).toString('base64');
      const page = withNonce(html, nonce);
      if (page === null) return next(new Error(`${path} has no <head> to carry the CSP nonce`));
      res.setHeader('Content-Security-Policy', consoleCsp(nonce));
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(page);
    }, next);
  };
}
