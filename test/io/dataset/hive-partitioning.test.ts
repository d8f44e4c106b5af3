// Hive partition type inference as Spark 3.5 does it.
import { DateDay, Int32, Int64, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { HIVE_NULL, inferPartitionType, parseDateDays, parsePartitionSegments, typedPartitionValue } from '../../../lib/io/dataset/hive-partitioning.js';

describe('hive-partitioning', () => {
  it('parses key=value segments, unescapes and maps the default partition to NULL', () => {
    expect(parsePartitionSegments(`dt=2026-11-21/merchant=${HIVE_NULL}/note=a%3Db`)).toEqual([
      { key: 'dt', raw: '2026-11-21' },
      { key: 'merchant', raw: null },
      { key: 'note', raw: 'a=b' },
    ]);
  });

  it('infers int, bigint, date and string', () => {
    expect(inferPartitionType(['1', '-2', null])).toBeInstanceOf(Int32);
    expect(inferPartitionType(['1', '3000000000'])).toBeInstanceOf(Int64);
    expect(inferPartitionType(['2026-11-21', '2026-11-22'])).toBeInstanceOf(DateDay);
    expect(inferPartitionType(['2026-11-21', 'x'])).toBeInstanceOf(Utf8);
    expect(inferPartitionType(['2026-02-30'])).toBeInstanceOf(Utf8);
    expect(inferPartitionType([null])).toBeInstanceOf(Utf8);
  });

  it('types values: DATE as days since the epoch', () => {
    expect(parseDateDays('1970-01-02')).toBe(1);
    expect(typedPartitionValue('2026-11-21', new DateDay())).toBe(Date.UTC(2026, 10, 21) / 86_400_000);
    expect(typedPartitionValue('3000000000', new Int64())).toBe(3000000000n);
    expect(typedPartitionValue(null, new Int32())).toBeNull();
  });
});
