import { parseActorId, tokenActorId, userActorId } from './actors';

describe('actor ids', () => {
  const id = '0b6f7c1e-8a4d-4f0e-9c61-2d3b5a7e9f10';

  it('reads back the user and the token the builders named', () => {
    expect(parseActorId(userActorId('ops@example.org', id))).toEqual({ kind: 'user', userId: id, email: 'ops@example.org' });
    expect(parseActorId(tokenActorId('ci: nightly', id))).toEqual({ kind: 'token', tokenId: id, name: 'ci: nightly' });
  });

  it('reads anything else as another actor, never as a user id', () => {
    for (const other of ['system', 'cli:local', 'matrix-setup', `user::${id}`, 'user:ops@example.org:not-a-uuid', `robot:x:${id}`, id]) {
      expect(parseActorId(other)).toEqual({ kind: 'other', id: other });
    }
  });
});
