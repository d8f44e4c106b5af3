// The expression union. Every consumer switches on `kind` and ends in assertNever, so a new node
// kind fails to compile until schema derivation, display, evaluation and the Spark compiler handle it.
import type { AggregateCallNode } from './nodes/aggregate-call-node.js';
import type { AliasNode } from './nodes/alias-node.js';
import type { BinaryNode } from './nodes/binary-node.js';
import type { CaseNode } from './nodes/case-node.js';
import type { CastNode } from './nodes/cast-node.js';
import type { ColumnNode } from './nodes/column-node.js';
import type { FunctionNode } from './nodes/function-node.js';
import type { InListNode } from './nodes/in-list-node.js';
import type { IntervalNode } from './nodes/interval-node.js';
import type { LikeNode } from './nodes/like-node.js';
import type { LiteralNode } from './nodes/literal-node.js';
import type { UnaryNode } from './nodes/unary-node.js';
import type { WindowCallNode } from './nodes/window-call-node.js';

/** Any expression. */
export type Expr =
  | ColumnNode
  | LiteralNode
  | BinaryNode
  | UnaryNode
  | InListNode
  | LikeNode
  | CaseNode
  | CastNode
  | FunctionNode
  | AggregateCallNode
  | WindowCallNode
  | AliasNode
  | IntervalNode;

/** The tag of an Expr. */
export type ExprKind = Expr['kind'];
