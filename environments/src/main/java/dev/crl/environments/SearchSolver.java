package dev.crl.environments;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Breadth-first (or, for environments with a {@link SearchHint}, A*) search over the real game: each node is a {@link LocalEnvironment#copy()} and nodes
 * are merged by {@link LocalEnvironment#stateKey()}. It returns a shortest action sequence that
 * reaches success, which proves the instance solvable because replaying it on the environment itself
 * succeeds (tests do replay it).
 */
public final class SearchSolver {

  private SearchSolver() {}

  /**
   * Searches from the current state of {@code env} (left untouched) for at most {@code maxDepth}
   * actions and {@code maxNodes} distinct states.
   */
  public static Optional<List<String>> solve(LocalEnvironment env, int maxDepth, int maxNodes) {
    record Node(LocalEnvironment env, Node parent, String action, int depth, int priority,
        long order) {}
    Map<String, Boolean> visited = new HashMap<>();
    // With a hint the frontier is ordered by depth + hint (A*); without one all priorities equal the
    // depth, which is breadth-first order. The insertion counter keeps ties deterministic.
    java.util.PriorityQueue<Node> queue = new java.util.PriorityQueue<>(
        java.util.Comparator.comparingInt(Node::priority).thenComparingLong(Node::order));
    long counter = 0;
    Node root = new Node(env.headlessCopy(), null, null, 0, hint(env), counter++);
    visited.put(root.env().stateKey(), Boolean.TRUE);
    queue.add(root);
    while (!queue.isEmpty()) {
      Node node = queue.poll();
      if (node.depth() >= maxDepth) {
        continue;
      }
      for (String action : node.env().availableActions()) {
        LocalEnvironment next = node.env().copy();
        StepResult r = next.step(action);
        if (r.success()) {
          List<String> plan = new ArrayList<>();
          plan.add(action);
          for (Node n = node; n.parent() != null; n = n.parent()) {
            plan.add(n.action());
          }
          Collections.reverse(plan);
          return Optional.of(plan);
        }
        if (r.done()) {
          continue;
        }
        if (visited.putIfAbsent(next.stateKey(), Boolean.TRUE) == null) {
          if (visited.size() > maxNodes) {
            return Optional.empty();
          }
          queue.add(new Node(next, node, action, node.depth() + 1,
              node.depth() + 1 + hint(next), counter++));
        }
      }
    }
    return Optional.empty();
  }

  private static int hint(LocalEnvironment env) {
    return env instanceof SearchHint h ? h.remainingActionsHint() : 0;
  }
}
