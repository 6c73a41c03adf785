package dev.crl.workflows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Every activity call the fakes received, in arrival order, shared by all fake activity classes. */
final class CallLog {
  /** One call: the activity method, its arguments and what it returned (null when it threw). */
  record Call(String method, List<Object> args, Object result, long atMillis) {
    @SuppressWarnings("unchecked")
    <T> T arg(int index) {
      return (T) args.get(index);
    }
  }

  private final List<Call> calls = new ArrayList<>();

  synchronized void record(String method, Object result, Object... args) {
    calls.add(new Call(method, java.util.Arrays.asList(args), result, System.currentTimeMillis()));
  }

  synchronized List<Call> all() {
    return List.copyOf(calls);
  }

  synchronized List<Call> of(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  synchronized long count(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).count();
  }

  synchronized boolean any(String method, Predicate<Call> predicate) {
    return calls.stream().filter(c -> c.method().equals(method)).anyMatch(predicate);
  }

  /** Index of the first matching call in arrival order, or -1. */
  synchronized int indexOf(String method, Predicate<Call> predicate) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).method().equals(method) && predicate.test(calls.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
