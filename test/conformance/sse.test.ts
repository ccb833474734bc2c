import { expect, it } from 'vitest';
import { parseSse } from '../../src/conformance/sse.js';

it('parses events with event and multi-line data fields, comments and CRLF', () => {
  const text = ': comment\r\nevent: a\r\ndata: {"x":\r\ndata: 1}\r\n\r\nevent: b\ndata:2\n\n';
  expect(parseSse(text)).toEqual({
    events: [
      { event: 'a', data: '{"x":\n1}', line: 1 },
      { event: 'b', data: '2', line: 6 },
    ],
  });
});

it('reports an event the stream never finished', () => {
  expect(parseSse('data: {"a":1}\n\ndata: {"b"').unterminated).toBe('{"b"');
});
