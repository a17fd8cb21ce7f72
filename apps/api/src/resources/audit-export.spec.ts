import { auditCsvHeader, auditCsvRow, auditEventView, auditJsonLine, csvCell } from './audit-export';

describe('audit export rows', () => {
  it('quotes CSV cells that need it and defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes one CSV row per event under the header, and one JSON line that parses back to the view', () => {
    const view = auditEventView({
      seq: 12n, chainSeq: null, at: new Date(Date.UTC(2026, 2, 5, 10, 0, 0)), actor: 'user:a@example.org', action: 'certificate.issued',
      subjectType: 'certificate', subjectId: 'c-1', data: { note: 'x, "y"', n: -1 }, prevHash: null, hash: null,
    });
    expect(auditCsvHeader()).toBe('seq,chainSeq,at,actor,action,subjectType,subjectId,data,prevHash,hash\r\n');
    expect(auditCsvRow(view)).toBe('12,,2026-03-05T10:00:00.000Z,user:a@example.org,certificate.issued,certificate,c-1,"{""note"":""x, \\""y\\"""",""n"":-1}",,\r\n');
    expect(JSON.parse(auditJsonLine(view))).toEqual(view);
    expect(auditJsonLine(view).endsWith('}\n')).toBe(true);
  });
});
