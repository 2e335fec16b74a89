// NAS-Bench-201 cell strings (`|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`) and the
// cell's canonical node expressions: parsing, formatting, zero nodes and the
// edges that can affect the output.
import { ValidationError, describeValue } from '../errors';
import { CELL_OPS } from './types';
import type { CellArch, CellOp } from './types';

/** Source node and target node of each of the six edges, in string order. */
export const CELL_EDGES: readonly { from: number; to: number }[] = [
  { from: 0, to: 1 },
  { from: 0, to: 2 },
  { from: 1, to: 2 },
  { from: 0, to: 3 },
  { from: 1, to: 3 },
  { from: 2, to: 3 },
];

/** The mark of a zero term and of an all-zero node in canonical expressions. */
export const ZERO_MARK = '#';

/** Formats a cell as a NAS-Bench-201 string, e.g. `|nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|`. */
export function cellArchToString(arch: CellArch): string {
  const node = (first: number, count: number): string =>
    `|${arch.edges
      .slice(first, first + count)
      .map((op, source) => `${op}~${source}`)
      .join('|')}|`;
  return [node(0, 1), node(1, 2), node(3, 3)].join('+');
}

/**
 * Parses a NAS-Bench-201 string into a cell. Throws ValidationError (field
 * `arch`) naming the part that is malformed: the node count, a node's edge
 * count, an unknown op or an input index out of order.
 */
export function cellArchFromString(text: string): CellArch {
  const fail = (rule: string): never => {
    throw new ValidationError('arch', text, `invalid NAS-Bench-201 cell string ${describeValue(text)}: ${rule}`);
  };
  if (typeof text !== 'string') fail('expected a string such as |nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|avg_pool_3x3~2|');
  const nodes = text.trim().split('+');
  if (nodes.length !== 3) fail(`expected 3 nodes separated by "+", got ${nodes.length}`);

  const edges: CellOp[] = [];
  nodes.forEach((node, index) => {
    const target = index + 1;
    if (!node.startsWith('|') || !node.endsWith('|') || node.length < 2) {
      fail(`node ${target} must start and end with "|", got ${describeValue(node)}`);
    }
    const terms = node.slice(1, -1).split('|');
    if (terms.length !== target) fail(`node ${target} must have ${target} inputs, got ${terms.length} in ${describeValue(node)}`);
    terms.forEach((term, source) => {
      const [op, input, ...rest] = term.split('~');
      if (rest.length > 0 || input !== String(source)) {
        fail(`input ${source} of node ${target} must be written op~${source}, got ${describeValue(term)}`);
      }
      if (!(CELL_OPS as readonly string[]).includes(op)) {
        fail(`unknown op ${describeValue(op)} in node ${target}: use one of ${CELL_OPS.join(', ')}`);
      }
      edges.push(op as CellOp);
    });
  });
  return { family: 'cell', edges: edges as CellArch['edges'] };
}

/**
 * Returns the canonical expression of each node (index 0-3) by NAS-Bench-201's
 * own rule. Node 0 is `0`. Node j is the sorted `+`-joined list of its
 * incoming terms. A term is `(source)@op`, or the source's own expression for
 * skip_connect, or the zero mark `#` for a none edge or an edge whose source
 * expression is exactly `#`. Zero marks stay in the sums, so only node 1 (one
 * input) can be `#`; node 2 with two zero inputs is `#+#` and edges out of it
 * keep their ops. This matches NAS-Bench-201's reference code and splits its
 * 15,625 cells into 6,466 classes.
 */
export function cellNodeExpressions(edges: readonly CellOp[]): string[] {
  const expressions = ['0'];
  for (let target = 1; target <= 3; target++) {
    const terms: string[] = [];
    CELL_EDGES.forEach((edge, index) => {
      if (edge.to !== target) return;
      const source = expressions[edge.from];
      const op = edges[index];
      if (op === 'none' || source === ZERO_MARK) terms.push(ZERO_MARK);
      else if (op === 'skip_connect') terms.push(source);
      else terms.push(`(${source})@${op}`);
    });
    expressions.push(terms.sort().join('+'));
  }
  return expressions;
}

/**
 * Returns, for each node, whether it is always zero: node 0 never is, and node j is
 * when each of its incoming edges is none or comes from a zero node.
 */
export function zeroCellNodes(edges: readonly CellOp[]): boolean[] {
  const zero = [false];
  for (let target = 1; target <= 3; target++) {
    zero.push(CELL_EDGES.every((edge, index) => edge.to !== target || edges[index] === 'none' || zero[edge.from]));
  }
  return zero;
}

/**
 * Returns, for each edge, whether it changes the cell's output: its op is not none,
 * its source is not a zero node (zeroCellNodes) and its target is the output
 * node or reaches it through such edges. The model builds only these edges,
 * so the cost model counts only them.
 */
export function liveCellEdges(edges: readonly CellOp[]): boolean[] {
  const zero = zeroCellNodes(edges);
  const carries = (index: number): boolean => edges[index] !== 'none' && !zero[CELL_EDGES[index].from];
  const reachesOutput = [false, false, false, true];
  for (let node = 2; node >= 0; node--) {
    reachesOutput[node] = CELL_EDGES.some((edge, index) => edge.from === node && carries(index) && reachesOutput[edge.to]);
  }
  return CELL_EDGES.map((edge, index) => carries(index) && reachesOutput[edge.to]);
}
