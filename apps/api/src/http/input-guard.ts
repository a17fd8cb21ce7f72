// What reaches a controller is well-formed text: the JSON body is UTF-8 (RFC 8259 §8.1: JSON exchanged
// between systems MUST be UTF-8) and decodes without replacement characters, and no string anywhere
// in the body, the query or the path holds a NUL (PostgreSQL text cannot store U+0000) or a lone
// surrogate (not a Unicode scalar value, so not encodable as UTF-8 for the database), and no object
// key could reach an object's prototype. Refused with 415 or 400 before any handler runs, so a
// malformed request never gets far enough to change anything or fail deep inside with a 500.
import { TextDecoder } from 'node:util';
import express, { type NextFunction, type Request, type Response } from 'express';
import { sendProblem } from './problem.filter';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** An input error carrying its HTTP status, as body-parser's errors do. */
class InputError extends Error {
  constructor(readonly status: number, message: string, readonly type: string) {
    super(message);
  }

  /** body-parser exposes the message of client errors. */
  readonly expose = true;
}

/** The /api JSON body parser: UTF-8 only, strictly decoded, at most 256 KiB. */
export function jsonBody(): express.RequestHandler {
  return express.json({
    limit: '256kb',
    type: ['application/json', 'application/*+json'],
    verify: (_req, _res, buf, encoding) => {
      if (encoding.toLowerCase() !== 'utf-8' && encoding.toLowerCase() !== 'utf8') {
        throw new InputError(415, `JSON must be sent as UTF-8 (RFC 8259 §8.1), not ${encoding}`, 'charset.unsupported');
      }
      try {
        utf8.decode(buf);
      } catch {
        throw new InputError(400, 'the request body is not valid UTF-8', 'encoding.invalid');
      }
    },
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a value is refused (with the path of the offending part), or null when it is acceptable. */
export function hostileText(value: unknown, where: string, depth = 0): string | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return `${where} contains a NUL character`;
    if (LONE_SURROGATE.test(value)) return `${where} is not valid Unicode (a lone surrogate)`;
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth > 32) return `${where} is nested too deeply`;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = hostileText(v, `${where}[${i}]`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(k)) return `${where} has a property named "${k}"`;
    const bad = hostileText(k, `a property name in ${where}`, depth + 1) ?? hostileText(v, `${where}.${k}`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

/** Refuses a request whose path, query or body holds text the platform cannot store or trust. */
export function refuseHostileText(req: Request, res: Response, next: NextFunction): void {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return sendProblem(res, { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'the request path is not valid percent-encoded UTF-8', instance: req.originalUrl });
  }
  const bad = hostileText(path, 'the request path') ?? hostileText(req.query, 'the query') ?? hostileText(req.body, 'the request body');
  if (bad) return sendProblem(res, { type: 'about:blank', title: 'Bad Request', status: 400, detail: bad, instance: req.originalUrl });
  next();
}
