import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';

/** 'METHOD /path' of a handler as Nest declares it (e.g. 'POST /api/v1/certificates/:id/revoke'), or null for a non-route method. */
export function routeKey(controller: object, handler: object): string | null {
  const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
  if (path === undefined || method === undefined) return null;
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '').replace(/^\/|\/$/g, '');
  const sub = path.replace(/^\/|\/$/g, '');
  return `${RequestMethod[method]} /${[base, sub].filter(Boolean).join('/')}`;
}
