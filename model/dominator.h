/* dominator — immediate dominators and retained sizes on any directed graph.
 *
 * A node d dominates v when every path from the root to v passes through
 * d; the immediate dominator idom(v) is the closest such d other than v.
 * The idoms form a tree (the dominator tree) whose subtrees are exactly
 * "what would become unreachable if this node were removed", so a node's
 * retained size is the sum of the sizes in its subtree.
 *
 * Algorithm: Lengauer–Tarjan with path compression and simple linking,
 * O(E log N), on DFS numbers (dense arrays, cache-friendly).  Everything
 * is iterative — the DFS keeps an explicit stack of edge cursors and the
 * path compression an explicit stack — so a million-node linked list is
 * no problem.  Memory: about 40 bytes per node + 8 per edge on top of the
 * caller's graph.
 *
 * The graph is given either as a successor callback (dom_compute: simple
 * to use on synthetic graphs; the edges are copied once into CSR arrays)
 * or directly as CSR arrays (dom_compute_csr: no copy).  Nodes are
 * 0..n-1; edges to nodes >= n are ignored; self loops and duplicate edges
 * are harmless.
 *
 * Unreachable nodes: by default they are left out (dom_reached() = 0).
 * With DOM_ADOPT_UNREACHABLE every node gets a place in the tree: after the
 * walk from the root, unreached nodes are "adopted" as if the root had an
 * edge to them, first those with no predecessor at all (the natural entry
 * points of an unreachable region), then, in node order, one node of each
 * remaining unreachable cycle; a DFS from each adopted node numbers what it
 * reaches.  Adopted nodes are flagged (dom_adopted()).
 */
#ifndef HS_DOMINATOR_H
#define HS_DOMINATOR_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t dom_node_t;
#define DOM_NONE UINT32_MAX

/* Successors of v: set *out to an array of them and return its length.
 * The array only needs to stay valid until the next call. */
typedef size_t (*dom_succ_fn)(void *arg, dom_node_t v, const dom_node_t **out);

#define DOM_ADOPT_UNREACHABLE 0x1

struct dom_tree;

/* Compute the dominator tree of the n-node graph from `root`.  Returns 0
 * and sets *out, or -1 when memory runs out (or n/root are invalid:
 * n must be < DOM_NONE, root < n). */
int dom_compute(uint32_t n, dom_node_t root, dom_succ_fn succ, void *arg,
		unsigned flags, struct dom_tree **out);

/* Same on a CSR graph: the successors of v are adj[off[v] .. off[v+1]).
 * off has n+1 entries; the arrays are only read during the call. */
int dom_compute_csr(uint32_t n, dom_node_t root, const uint64_t *off,
		    const dom_node_t *adj, unsigned flags, struct dom_tree **out);

void dom_free(struct dom_tree *t);

uint32_t dom_nnodes(const struct dom_tree *t);
dom_node_t dom_root(const struct dom_tree *t);
/* Nodes placed in the tree (the root, what it reaches, adopted regions). */
uint32_t dom_nreached(const struct dom_tree *t);
int dom_reached(const struct dom_tree *t, dom_node_t v);
int dom_adopted(const struct dom_tree *t, dom_node_t v);
/* Nodes adopted (DOM_ADOPT_UNREACHABLE), and how many nodes only the
 * adopted walks reached (the unreachable part of the graph). */
uint32_t dom_nadopted(const struct dom_tree *t);
uint32_t dom_nunreachable(const struct dom_tree *t);

/* Immediate dominator of v; DOM_NONE for the root and unreached nodes. */
dom_node_t dom_idom(const struct dom_tree *t, dom_node_t v);

/* The reached nodes in DFS preorder: every node comes after its immediate
 * dominator (and after all its dominators).  Valid until dom_free. */
const dom_node_t *dom_preorder(const struct dom_tree *t, uint32_t *n);

/* Does a dominate b (a == b counts)?  O(depth of b in the tree). */
int dom_dominates(const struct dom_tree *t, dom_node_t a, dom_node_t b);

/* Retained sizes: size[v] is v's own (shallow) size.  Fills the tree's
 * retained column (sum of size over v's dominator subtree) and sorts each
 * node's children by retained size, largest first.  Returns 0, -1 on OOM. */
int dom_set_sizes(struct dom_tree *t, const uint64_t *size);
/* After dom_set_sizes: v's retained size (0 for unreached nodes). */
uint64_t dom_retained(const struct dom_tree *t, dom_node_t v);
/* After dom_set_sizes: v's children in the dominator tree, largest
 * retained first (valid until dom_free). */
const dom_node_t *dom_children(const struct dom_tree *t, dom_node_t v, uint32_t *n);

#endif
