// The generator's byte buffer formats numbers and text exactly as the string templates it replaced did.
import { describe, expect, it } from 'vitest';
import { TextByteBuffer } from '../../datasets/gen/text-byte-buffer.js';

const decode = (b: TextByteBuffer): string => new TextDecoder().decode(b.bytes.subarray(0, b.length));

describe('TextByteBuffer', () => {
  it('writes integers as String(n), padded decimals and hex as padStart', () => {
    const b = new TextByteBuffer(4); // grows
    const ints = [0, -0, 7, -7, 10, 99, 100, 123456789, -(2 ** 40), 1e12, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (const n of ints) {
      b.clear();
      b.int(n);
      expect(decode(b)).toBe(String(n));
    }
    for (const [n, w] of [[0, 2], [5, 2], [59, 2], [123, 2], [7, 6], [999_999, 6]] as const) {
      b.clear();
      b.digits(n, w);
      expect(decode(b)).toBe(String(n).padStart(w, '0'));
    }
    for (const [n, w] of [[0, 2], [0xa0, 2], [0xfff, 2], [0xdeadbeef, 8], [-1, 8], [0x5116, 1], [3, 7]] as const) {
      b.clear();
      b.hex(n, w);
      expect(decode(b)).toBe((n >>> 0).toString(16).padStart(w, '0'));
    }
  });

  it('appends text (non-ASCII as UTF-8), bytes, and copies of its own content', () => {
    const b = new TextByteBuffer(2);
    b.text('tx_');
    b.text('héllo €');
    b.byte(44);
    const end = b.length;
    b.copy(b.bytes, 0, end);
    const long = 'x'.repeat(100);
    b.text(long);
    b.copy(b.bytes, end * 2, b.length);
    expect(decode(b)).toBe(`tx_héllo €,tx_héllo €,${long}${long}`);
    const taken = b.take();
    expect(new TextDecoder().decode(taken)).toBe(`tx_héllo €,tx_héllo €,${long}${long}`);
    expect(b.length).toBe(0);
    b.text('next');
    expect(new TextDecoder().decode(taken).startsWith('tx_')).toBe(true); // take() hands over, never reuses
  });
});
