// The public API of the DataFrame engine. Everything else under lib/dataframe/ is internal.
export { Session } from './session.js';
export type { SessionOptions } from './session.js';
export { DataFrame, GroupedData } from './dataframe.js';
export type { Row, ValueCount } from './dataframe.js';
export type { DataFrameWriter, WriteResult } from './dataframe-writer.js';
export { TextDataset, textFile } from './lines/text-dataset.js';
export type { CountedValue, LinesActionOptions, LocatedLine, TextFileOptions } from './lines/text-dataset.js';
export { parseExpression, parseExpressionList, parseSortKeys } from './expr/parser/parse-expression.js';
export type { Expr } from './expr/expr.js';
export type { SortKey } from './expr/sort-key.js';
export { types, typeName } from './types/data-type.js';
export type { DataType } from './types/data-type.js';
export type { Schema, Field } from './types/schema.js';
