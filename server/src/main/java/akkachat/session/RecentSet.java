package akkachat.session;

import java.util.LinkedHashSet;

/** The last {@code capacity} distinct elements added; older ones are forgotten. */
final class RecentSet<T> {
  private final int capacity;
  private final LinkedHashSet<T> elements = new LinkedHashSet<>();

  RecentSet(int capacity) {
    this.capacity = capacity;
  }

  /** Adds {@code element}; false if it is among the recent ones already. */
  boolean add(T element) {
    if (!elements.add(element)) {
      return false;
    }
    if (elements.size() > capacity) {
      elements.remove(elements.iterator().next());
    }
    return true;
  }
}
