// Builds the cell family on the NAS-Bench-201 skeleton: stem, three stages of
// N identical cells at C, 2C and 4C channels joined by residual reduction
// blocks, then BN, ReLU and the common head.
import { cellEdgesToBuild } from '../../core/space';
import type { CellArch, CellSpace } from '../../core/space/types';
import { GraphBuilder, type Node } from './layers';

/** [target node, source node] of each of the six edges, in CellArch order. */
const EDGE_NODES: [number, number][] = [
  [1, 0],
  [2, 0],
  [2, 1],
  [3, 0],
  [3, 1],
  [3, 2],
];

/**
 * Adds the network for `arch` after `input` and returns the softmax output.
 * This is the model specified on cellCost in src/core/space. Only live
 * edges (cellEdgesToBuild) get layers: a layer off the path to the output
 * would still create weights that model.dispose() never frees. A cell whose
 * output node has no live edge outputs zeros through a rescaling layer with
 * scale 0 on its input, which keeps the graph connected.
 */
export function buildCellNetwork(
  builder: GraphBuilder,
  space: CellSpace,
  arch: CellArch,
  input: Node,
  numClasses: number,
): Node {
  const stemConv = builder.conv(input, 'stem_conv', { filters: space.stemChannels, kernel: 3 });
  let x = builder.batchNorm(stemConv, 'stem_bn');

  const live: CellArch = { family: 'cell', edges: cellEdgesToBuild(arch) };
  for (let stage = 0; stage < 3; stage++) {
    const width = space.stemChannels * 2 ** stage;
    if (stage > 0) x = addReduction(builder, x, width, `r${stage}`);
    for (let cell = 0; cell < space.cellsPerStage; cell++) {
      x = addCell(builder, live, x, width, `c${stage}_${cell}`);
    }
  }

  x = builder.batchNorm(x, 'head_bn');
  x = builder.relu(x, 'head_relu');
  return builder.head(x, numClasses);
}

function addCell(builder: GraphBuilder, arch: CellArch, input: Node, width: number, prefix: string): Node {
  const nodes: (Node | null)[] = [input, null, null, null];
  for (let target = 1; target <= 3; target++) {
    const terms: Node[] = [];
    EDGE_NODES.forEach(([edgeTarget, source], edge) => {
      const from = nodes[source];
      if (edgeTarget !== target || from === null) return;
      const term = addEdge(builder, arch.edges[edge], from, width, `${prefix}_n${target}_e${edge}`);
      if (term !== null) terms.push(term);
    });
    nodes[target] = terms.length === 0 ? null : builder.add(terms, `${prefix}_n${target}_add`);
  }
  return nodes[3] ?? builder.zero(input, `${prefix}_zero`);
}

/** The output of one edge, or null for 'none'. */
function addEdge(builder: GraphBuilder, op: CellArch['edges'][number], x: Node, width: number, prefix: string): Node | null {
  switch (op) {
    case 'none':
      return null;
    case 'skip_connect':
      return x;
    case 'nor_conv_1x1':
    case 'nor_conv_3x3': {
      const kernel = op === 'nor_conv_1x1' ? 1 : 3;
      const activated = builder.relu(x, `${prefix}_relu`);
      const conv = builder.conv(activated, `${prefix}_conv`, { filters: width, kernel });
      return builder.batchNorm(conv, `${prefix}_bn`);
    }
    case 'avg_pool_3x3':
      return builder.avgPool(x, `${prefix}_pool`, 3, 1, 'same');
  }
}

/**
 * Residual reduction block: ReLU-conv3x3(stride 2)-BN, ReLU-conv3x3-BN, plus
 * a shortcut of 2x2 average pooling (stride 2) and a 1x1 conv, summed.
 * The shortcut pool uses 'same' padding so odd sizes round up like the
 * strided conv.
 */
function addReduction(builder: GraphBuilder, x: Node, width: number, prefix: string): Node {
  let main = builder.relu(x, `${prefix}_a_relu`);
  main = builder.conv(main, `${prefix}_a_conv`, { filters: width, kernel: 3, strides: 2 });
  main = builder.batchNorm(main, `${prefix}_a_bn`);
  main = builder.relu(main, `${prefix}_b_relu`);
  main = builder.conv(main, `${prefix}_b_conv`, { filters: width, kernel: 3 });
  main = builder.batchNorm(main, `${prefix}_b_bn`);

  const pooled = builder.avgPool(x, `${prefix}_shortcut_pool`, 2, 2, 'same');
  const shortcut = builder.conv(pooled, `${prefix}_shortcut_conv`, { filters: width, kernel: 1 });
  return builder.add([main, shortcut], `${prefix}_add`);
}
