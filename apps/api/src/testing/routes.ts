import type { Type } from '@nestjs/common';
import { routeKey } from '../http/route-key';

/** 'METHOD /path' of every route Nest serves, from the controllers' metadata, sorted. */
export function nestRoutes(controllers: Type[]): string[] {
  const out: string[] = [];
  for (const c of controllers) {
    for (const name of Object.getOwnPropertyNames(c.prototype)) {
      const handler: unknown = c.prototype[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      const key = routeKey(c, handler);
      if (key) out.push(key);
    }
  }
  return out.sort();
}
