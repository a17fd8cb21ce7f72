import { DomainError } from '../errors';

/** Awaits `p`, expecting a DomainError with `code` (and a message matching `message`); returns it. */
export async function expectDomainError(p: Promise<unknown>, code: string, message?: RegExp): Promise<DomainError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
  if (message) expect((err as DomainError).message).toMatch(message);
  return err as DomainError;
}
