import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialJournal } from './serial-journal';

const h = (c: string) => c.repeat(64);

describe('SerialJournal', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'anchorage-journal-')), 'signed-serials.log');

  it('lets a key sign a serial once, again only for the same TBS, and remembers it after a restart', () => {
    const path = file();
    const j = SerialJournal.open(path);
    j.claim('soft:a', '0a1b', h('1'));
    j.claim('soft:a', '0a1b', h('1')); // a retry of the same intent
    expect(() => j.claim('soft:a', '0a1b', h('2'))).toThrow(/serial 0a1b was signed by this key for another certificate/);
    j.claim('soft:b', '0a1b', h('2')); // another key's serials are its own
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
    const again = SerialJournal.open(path);
    expect(again.size).toBe(2);
    expect(() => again.claim('soft:a', '0a1b', h('3'))).toThrow(/another certificate/);
  });

  it('ignores a torn last line, and refuses to open a journal damaged anywhere else', () => {
    const path = file();
    SerialJournal.open(path).claim('soft:a', '01', h('1'));
    appendFileSync(path, `${h('f')} 02 ${h('2').slice(0, 10)}`); // a crash mid-append
    expect(SerialJournal.open(path).size).toBe(1);
    writeFileSync(path, `garbage\n${readFileSync(path, 'utf8')}`);
    expect(() => SerialJournal.open(path)).toThrow(/malformed line 1; refusing to start/);
  });

  it('cuts a torn last line off at open, so the next claim starts a line of its own and the journal opens again', () => {
    const path = file();
    const j = SerialJournal.open(path);
    j.claim('soft:a', '01', h('1'));
    j.close();
    appendFileSync(path, `${h('f')} 02 ${h('2').slice(0, 10)}`); // a crash mid-append
    const after = SerialJournal.open(path);
    after.claim('soft:a', '03', h('3'));
    after.close();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3); // two lines and the empty rest
    const again = SerialJournal.open(path);
    expect(again.size).toBe(2);
    expect(() => again.claim('soft:a', '03', h('4'))).toThrow(/another certificate/);
    again.close();
  });

  it('refuses to claim once closed: nothing is signed without its line', () => {
    const j = SerialJournal.open(file());
    j.close();
    expect(() => j.claim('soft:a', '01', h('1'))).toThrow(/is closed; refusing to sign/);
  });

  it('reads a journal in chunks that cut lines anywhere, as it reads one whole', () => {
    const path = file();
    const j = SerialJournal.open(path);
    const hex = (n: number) => n.toString(16).padStart(4, '0');
    for (let n = 1; n <= 300; n++) j.claim(`soft:${n % 3}`, hex(n), createHash('sha256').update(String(n)).digest('hex'));
    j.close();
    for (const chunkBytes of [1, 7, 163, 4096]) {
      const again = SerialJournal.open(path, { chunkBytes });
      expect(again.size).toBe(300);
      again.claim('soft:1', hex(1), createHash('sha256').update('1').digest('hex')); // the same TBS again: allowed
      expect(() => again.claim('soft:2', hex(299), h('e'))).toThrow(/serial 012b was signed by this key for another certificate/);
      again.claim('soft:0', hex(1), h('e')); // serial 1 was signed by soft:1 only
      again.close();
      writeFileSync(path, readFileSync(path, 'utf8').split('\n').slice(0, 300).join('\n') + '\n'); // the line just added, taken out
    }
    writeFileSync(path, `${readFileSync(path, 'utf8')}${h('0')} 01 ${h('1')}\ngarbage\n${h('0')} 02 ${h('2')}\n`);
    expect(() => SerialJournal.open(path, { chunkBytes: 5 })).toThrow(/malformed line 302; refusing to start/);
  });

  it('keeps a last line that lost only its newline, and ends it, so the next claim starts a line of its own', () => {
    const path = file();
    const j = SerialJournal.open(path);
    j.claim('soft:a', '01', h('1'));
    j.close();
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\n$/, ''));
    const after = SerialJournal.open(path, { chunkBytes: 10 });
    expect(after.size).toBe(1);
    expect(() => after.claim('soft:a', '01', h('2'))).toThrow(/another certificate/);
    after.claim('soft:a', '02', h('2'));
    after.close();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3);
    expect(SerialJournal.open(path).size).toBe(2);
  });

  it('reads lines from their bytes as strictly as the line format says, and finds what it read', () => {
    const key = createHash('sha256').update('soft:a').digest('hex');
    const good = `${key} ${'7f'.repeat(32)} ${h('1')}`;
    const path = file();
    writeFileSync(path, `${good}\n${key} 1 ${h('2')}\n`);
    const j = SerialJournal.open(path);
    expect(j.size).toBe(2);
    j.claim('soft:a', '7f'.repeat(32), h('1')); // the TBS it was read with: allowed again
    expect(() => j.claim('soft:a', '1', h('3'))).toThrow(/another certificate/);
    j.close();
    const bad = [
      `${key} ${'7f'.repeat(32)}0 ${h('1')}`, // a serial of 65 digits
      `${key}  ${h('1')}`, // no serial
      `${key} 0A ${h('1')}`, // uppercase hex
      `${key} 0a ${h('1')}\r`, // a carriage return
      `${key}\t0a ${h('1')}`, // a tab for a space
      `${key} 0a ${h('1')}0`, // a TBS digest of 65 digits
      `${key.slice(1)} 0a ${h('1')}`, // a key digest of 63 digits
      `${key} 0g ${h('1')}`, // not hex
    ];
    for (const line of bad) {
      writeFileSync(path, `${good}\n${line}\n`);
      expect(() => SerialJournal.open(path)).toThrow(/malformed line 2; refusing to start/);
    }
  });
});
